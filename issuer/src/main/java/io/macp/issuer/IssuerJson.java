package io.macp.issuer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;

/**
 * The one Jackson configuration of the issuer: strict JSON like {@code JSON.parse} (no comments,
 * no trailing garbage), floats kept exact as BigDecimal, so scopes are copied into tokens with the
 * values the caller sent. Immutable after construction, shared.
 *
 * <p>Numbers are written in the compact form JavaScript's {@code JSON.stringify} uses (ECMA-262
 * Number::toString): plain when 1e-7 &lt; |x| &lt; 1e21, else with an exponent. So a number is
 * never longer when written than when read (plus at most a few characters): {@code 1e9999} stays
 * {@code 1e+9999} instead of growing to 10,000 digits.
 */
public final class IssuerJson {
  /**
   * Deepest nesting accepted in a request body (the reference has no limit; 64 is plenty), far
   * below the writer's limit, so scopes copied into a token can always be written back.
   */
  public static final int MAX_NESTING = 64;

  /** Longest number text accepted (digits, sign, point, exponent); Jackson's default is 1000. */
  public static final int MAX_NUMBER_CHARS = 100;

  public static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING)
                          .maxNumberLength(MAX_NUMBER_CHARS)
                          .build())
                  .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                  .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                  .build())
          .addModule(new SimpleModule("compact-numbers")
              .addSerializer(BigDecimal.class, new CompactDecimalSerializer()))
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private IssuerJson() {}

  /**
   * {@code x} as {@code JSON.stringify} would write it, with BigDecimal's exact digits: plain for
   * decimal exponents -7..20, otherwise {@code d.ddde+N}. The written length is bounded by the
   * digits read plus 26 characters, whatever the exponent.
   */
  public static String compact(BigDecimal x) {
    if (x.signum() == 0) {
      return x.scale() > 0 && x.scale() <= 20 ? x.toPlainString() : "0";
    }
    long exponent = (long) x.precision() - x.scale() - 1;
    if (exponent >= -7 && exponent < 21) {
      return x.toPlainString();
    }
    String digits = x.unscaledValue().abs().toString();
    StringBuilder b = new StringBuilder(digits.length() + 26);
    if (x.signum() < 0) {
      b.append('-');
    }
    b.append(digits.charAt(0));
    if (digits.length() > 1) {
      b.append('.').append(digits, 1, digits.length());
    }
    b.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
    return b.toString();
  }

  private static final class CompactDecimalSerializer extends StdSerializer<BigDecimal> {
    CompactDecimalSerializer() {
      super(BigDecimal.class);
    }

    @Override
    public void serialize(BigDecimal value, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      g.writeNumber(compact(value));
    }
  }

  /** A generator writing with this configuration. */
  public static JsonGenerator generator(OutputStream out) throws IOException {
    return MAPPER.getFactory().createGenerator(out);
  }
}
