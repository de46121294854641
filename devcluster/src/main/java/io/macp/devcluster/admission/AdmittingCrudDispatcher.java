package io.macp.devcluster.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.api.model.StatusDetailsBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.macp.devcluster.api.ResourcePath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric8 mock server's CRUD dispatcher with the API server's admission of custom resources:
 * every create, update and patch (the merged result) of a resource whose CRD has a schema is
 * checked with {@link CrdAdmission} before anything is stored. A refused write answers a
 * Kubernetes Status (422 Invalid with a cause per field; 400 BadRequest for unknown fields under
 * strict field validation) and stores nothing, so no watcher sees it; an accepted one stores, and
 * answers, the pruned and defaulted object.
 *
 * <p>Here, not in kubectl's gateway, because every client goes through it: kubectl, the operator,
 * the kubelet simulator, the CLI and tests. The schemas are learnt from the CRDs written through
 * the API, as the mock learns the resources themselves, so the CRD checked is the one installed
 * ({@code CrdInstaller}: the committed file or the one in the operator jar).
 *
 * <p>Field validation follows the request's {@code fieldValidation} parameter as a real API
 * server does: {@code Strict} (kubectl's default) refuses unknown fields, {@code Warn} (the
 * default, e.g. fabric8 clients) prunes them with a {@code Warning} header, {@code Ignore} prunes
 * them silently. A write of the status subresource checks status only (see {@link
 * CrdAdmission#admitStatus}). What it does not do: see docs/testing.md.
 */
public final class AdmittingCrudDispatcher extends KubernetesCrudDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(AdmittingCrudDispatcher.class);
  private static final ObjectMapper MAPPER = Serialization.jsonMapper();
  private static final String CRD_GROUP = "apiextensions.k8s.io";
  private static final String CRD_PLURAL = "customresourcedefinitions";

  /** fieldValidation: what happens to fields the schema does not know. */
  enum FieldValidation { STRICT, WARN, IGNORE }

  /** Admission per "group/plural", from the CRDs stored right now. */
  private final Map<String, Admission> admissions = new ConcurrentHashMap<>();
  /** The write this thread is serving; set around the parent's handler, read in processEvent. */
  private final ThreadLocal<Write> current = new ThreadLocal<>();

  /** A CRD's admission and the kind it names in messages. */
  private record Admission(String kind, CrdAdmission crd) {}

  /** One write request: how to treat unknown fields, and what admission decided. */
  private static final class Write {
    final FieldValidation validation;
    MockResponse refusal;
    String stored;
    List<String> warnings = List.of();

    Write(FieldValidation validation) {
      this.validation = validation;
    }
  }

  public AdmittingCrudDispatcher() {
    super(List.of());
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    return admitted(request, super::handleCreate);
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    return admitted(request, super::handleUpdate);
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    return admitted(request, super::handlePatch);
  }

  /**
   * Runs the parent's handler, which computes the object to store (for a patch: merged into the
   * stored one) and stores it through {@link #processEvent}, where admission decides.
   */
  private MockResponse admitted(RecordedRequest request, Function<RecordedRequest, MockResponse> handler) {
    Optional<FieldValidation> validation = fieldValidation(request.getPath());
    if (validation.isEmpty()) {
      return status(400, "BadRequest", "invalid fieldValidation directive: use Strict, Warn or Ignore",
          null, List.of());
    }
    Write write = new Write(validation.get());
    current.set(write);
    try {
      MockResponse response = handler.apply(request);
      if (write.refusal != null) {
        return write.refusal;
      }
      if (write.stored != null) {
        response.setBody(write.stored);
        for (String warning : write.warnings) {
          response.addHeader("Warning", "299 - \"" + warning.replace("\"", "\\\"") + "\"");
        }
      }
      return response;
    } finally {
      current.remove();
    }
  }

  /** Every write ends here, under the parent's write lock: admit, then store (or not). */
  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    Optional<ResourcePath> target = ResourcePath.parse(withoutQuery(path));
    Write write = current.get();
    String state = newState;
    if (write != null && newState != null && target.isPresent()) {
      Admission admission = admissions.get(key(target.get().group(), target.get().plural()));
      if (admission != null) {
        state = admit(admission, target.get(), newState, write);
        if (state == null) {
          return; // refused: nothing stored, no watch event
        }
      }
    }
    boolean crd = target.isPresent() && target.get().group().equals(CRD_GROUP)
        && target.get().plural().equals(CRD_PLURAL);
    String previous = crd && oldAttributes != null ? map.get(oldAttributes) : null;
    super.processEvent(path, pathAttributes, oldAttributes, resource, state);
    if (crd) {
      learn(state != null ? state : previous, state == null);
    }
  }

  /** The object to store, or null when refused (write.refusal says why). */
  private String admit(Admission admission, ResourcePath target, String newState, Write write) {
    JsonNode object = read(newState);
    boolean status = "status".equals(target.subresource());
    CrdAdmission.Result result =
        status ? admission.crd().admitStatus(object) : admission.crd().admit(object);
    String kind = admission.kind();
    String name = object.path("metadata").path("name").asText();
    List<String> unknown = result.unknownFields().stream()
        .map(e -> "unknown field \"" + e.substring(0, e.indexOf(": unknown field")) + "\"")
        .toList();
    if (write.validation == FieldValidation.STRICT && !unknown.isEmpty()) {
      write.refusal = status(400, "BadRequest", kind + " in version \"" + target.version()
          + "\" cannot be handled as a " + kind + ": strict decoding error: "
          + String.join(", ", unknown), null, List.of());
      return null;
    }
    if (!result.invalid().isEmpty()) {
      List<String> causes = result.invalid();
      String what = kind + "." + target.group() + " \"" + name + "\" is invalid: "
          + (causes.size() == 1 ? causes.get(0) : "[" + String.join(", ", causes) + "]");
      write.refusal = status(422, "Invalid", what,
          new StatusDetailsBuilder().withGroup(target.group()).withKind(kind).withName(name).build(),
          causes);
      return null;
    }
    write.warnings = write.validation == FieldValidation.WARN ? unknown : List.of();
    write.stored = Serialization.asJson(result.stored());
    return write.stored;
  }

  /** Learns (or forgets) the schema of a CRD written through the API. */
  private void learn(String crdJson, boolean deleted) {
    if (crdJson == null) {
      return;
    }
    JsonNode crd = read(crdJson);
    JsonNode spec = crd.path("spec");
    String key = key(spec.path("group").asText(), spec.path("names").path("plural").asText());
    boolean schema = spec.path("versions").path(0).path("schema").has("openAPIV3Schema");
    if (deleted || !schema) {
      admissions.remove(key);
    } else if (spec.path("versions").size() != 1) {
      admissions.remove(key);
      LOG.warn("CRD {} has {} versions: its resources are stored without schema checks", key,
          spec.path("versions").size());
    } else {
      String kind = spec.path("names").path("kind").asText();
      admissions.put(key, new Admission(kind, new CrdAdmission(crd)));
    }
  }

  private static MockResponse status(int code, String reason, String message,
      StatusDetails details, List<String> causes) {
    List<StatusCause> statusCauses = new ArrayList<>();
    for (String cause : causes) {
      int colon = cause.indexOf(": ");
      String field = colon < 0 ? "" : cause.substring(0, colon);
      String text = colon < 0 ? cause : cause.substring(colon + 2);
      statusCauses.add(new StatusCause(field, text, causeReason(text)));
    }
    StatusBuilder status = new StatusBuilder().withNewMetadata().endMetadata()
        .withStatus("Failure").withMessage(message).withReason(reason).withCode(code);
    if (details != null) {
      details.setCauses(statusCauses);
      status.withDetails(details);
    }
    return new MockResponse().setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(status.build()));
  }

  /** metav1.CauseType of a field error, from the wording the API server uses for it. */
  private static String causeReason(String message) {
    if (message.startsWith("Required value")) {
      return "FieldValueRequired";
    }
    if (message.startsWith("Unsupported value")) {
      return "FieldValueNotSupported";
    }
    if (message.startsWith("Too long")) {
      return "FieldValueTooLong";
    }
    if (message.startsWith("Too many")) {
      return "FieldValueTooMany";
    }
    return "FieldValueInvalid";
  }

  /** The request's fieldValidation; absent means Warn, as on a real API server. */
  static Optional<FieldValidation> fieldValidation(String path) {
    int q = path.indexOf('?');
    if (q < 0) {
      return Optional.of(FieldValidation.WARN);
    }
    for (String pair : path.substring(q + 1).split("&")) {
      if (pair.startsWith("fieldValidation=")) {
        String value = URLDecoder.decode(pair.substring("fieldValidation=".length()), StandardCharsets.UTF_8);
        for (FieldValidation v : FieldValidation.values()) {
          if (v.name().equalsIgnoreCase(value)) {
            return Optional.of(v);
          }
        }
        return Optional.empty();
      }
    }
    return Optional.of(FieldValidation.WARN);
  }

  private static String withoutQuery(String path) {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  private static String key(String group, String plural) {
    return group + "/" + plural;
  }

  private static JsonNode read(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
