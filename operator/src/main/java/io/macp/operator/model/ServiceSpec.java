package io.macp.operator.model;

public class ServiceSpec {
  private String type = "ClusterIP";
  private Integer port = 3200;

  public String getType() { return type; }
  public void setType(String type) { this.type = type; }
  public Integer getPort() { return port; }
  public void setPort(Integer port) { this.port = port; }
}
