package io.macp.operator.model;

public class RotationSpec {
  private String period = "24h";
  private String verifierCacheTtl = "5m";
  private String verifierStaleGrace = "1h";
  private String propagationDelay = "2m";
  private String clockSkew = "1m";

  public String getPeriod() { return period; }
  public void setPeriod(String period) { this.period = period; }
  public String getVerifierCacheTtl() { return verifierCacheTtl; }
  public void setVerifierCacheTtl(String verifierCacheTtl) { this.verifierCacheTtl = verifierCacheTtl; }
  public String getVerifierStaleGrace() { return verifierStaleGrace; }
  public void setVerifierStaleGrace(String verifierStaleGrace) { this.verifierStaleGrace = verifierStaleGrace; }
  public String getPropagationDelay() { return propagationDelay; }
  public void setPropagationDelay(String propagationDelay) { this.propagationDelay = propagationDelay; }
  public String getClockSkew() { return clockSkew; }
  public void setClockSkew(String clockSkew) { this.clockSkew = clockSkew; }
}
