package io.macp.issuer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The one Jackson configuration of the issuer: strict JSON like {@code JSON.parse} (no comments,
 * no trailing garbage), floats kept exact as BigDecimal and written back plain, so scopes are
 * copied into tokens with the values the caller sent. Immutable after construction, shared.
 */
public final class IssuerJson {
  /**
   * Deepest nesting accepted in a request body (the reference has no limit; 64 is plenty), far
   * below the writer's limit, so scopes copied into a token can always be written back.
   */
  public static final int MAX_NESTING = 64;

  public static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                  .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                  .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                  .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                  .build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private IssuerJson() {}

  /** A generator writing with this configuration. */
  public static JsonGenerator generator(OutputStream out) throws IOException {
    return MAPPER.getFactory().createGenerator(out);
  }
}
