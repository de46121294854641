package io.macp.operator.model;

public class SigningSpec {
  private String algorithm = "RS256";
  private Integer rsaKeySize = 2048;

  public String getAlgorithm() { return algorithm; }
  public void setAlgorithm(String algorithm) { this.algorithm = algorithm; }
  public Integer getRsaKeySize() { return rsaKeySize; }
  public void setRsaKeySize(Integer rsaKeySize) { this.rsaKeySize = rsaKeySize; }
}
