package io.macp.operator.model;

public class TokensSpec {
  private String defaultTtl = "5m";
  private String maxTtl = "1h";

  public String getDefaultTtl() { return defaultTtl; }
  public void setDefaultTtl(String defaultTtl) { this.defaultTtl = defaultTtl; }
  public String getMaxTtl() { return maxTtl; }
  public void setMaxTtl(String maxTtl) { this.maxTtl = maxTtl; }
}
