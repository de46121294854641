package io.macp.operator.model;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A MACP JWT issuer: policy only, never key material. */
@Group(MacpIssuer.GROUP)
@Version(MacpIssuer.VERSION)
@Kind("MacpIssuer")
@ShortNames("mi")
public class MacpIssuer extends CustomResource<MacpIssuerSpec, MacpIssuerStatus>
    implements Namespaced {
  public static final String GROUP = "macp.io";
  public static final String VERSION = "v1alpha1";
}
