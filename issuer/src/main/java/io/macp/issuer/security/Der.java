package io.macp.issuer.security;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Just enough DER reading for PKCS#1 RSA and SEC1 EC private keys. */
final class Der {
  static final int INTEGER = 0x02;
  static final int OCTET_STRING = 0x04;
  static final int OID = 0x06;
  static final int SEQUENCE = 0x30;

  /** One tag-length-value element. */
  record Element(int tag, byte[] value) {
    BigInteger integer() {
      require(INTEGER);
      return new BigInteger(value);
    }

    List<Element> children() {
      return parseAll(value);
    }

    /** Dotted OID text, e.g. {@code 1.2.840.10045.3.1.7}. */
    String oid() {
      require(OID);
      StringBuilder b = new StringBuilder();
      long acc = 0;
      for (int i = 0; i < value.length; i++) {
        acc = (acc << 7) | (value[i] & 0x7f);
        if ((value[i] & 0x80) == 0) {
          if (b.length() == 0) {
            int first = (int) Math.min(acc / 40, 2);
            b.append(first).append('.').append(acc - 40L * first);
          } else {
            b.append('.').append(acc);
          }
          acc = 0;
        }
      }
      return b.toString();
    }

    void require(int expected) {
      if (tag != expected) {
        throw new IllegalArgumentException("unexpected DER tag " + tag);
      }
    }
  }

  private Der() {}

  static Element parse(byte[] der) {
    List<Element> all = parseAll(der);
    if (all.size() != 1) {
      throw new IllegalArgumentException("expected one DER element");
    }
    return all.get(0);
  }

  static List<Element> parseAll(byte[] der) {
    List<Element> out = new ArrayList<>();
    int i = 0;
    while (i < der.length) {
      int tag = der[i++] & 0xff;
      if (i >= der.length) {
        throw new IllegalArgumentException("truncated DER");
      }
      int len = der[i++] & 0xff;
      if (len >= 0x80) {
        int n = len & 0x7f;
        if (n == 0 || n > 3 || i + n > der.length) {
          throw new IllegalArgumentException("bad DER length");
        }
        len = 0;
        for (int k = 0; k < n; k++) {
          len = (len << 8) | (der[i++] & 0xff);
        }
      }
      if (len > der.length - i) {
        throw new IllegalArgumentException("truncated DER");
      }
      byte[] value = new byte[len];
      System.arraycopy(der, i, value, 0, len);
      i += len;
      out.add(new Element(tag, value));
    }
    return out;
  }
}
