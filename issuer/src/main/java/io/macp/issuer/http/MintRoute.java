package io.macp.issuer.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.macp.issuer.IssuerJson;
import io.macp.issuer.IssuerMetrics;
import io.macp.issuer.signing.MintedToken;
import io.macp.issuer.signing.NoSigningKeyException;
import io.macp.issuer.signing.TokenMinter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /tokens}: the contract's validation, then the {@link MintGate}, then signing. Every
 * request ends in exactly one audit line and one count of {@code macp_issuer_mints_total}.
 */
public final class MintRoute implements Handler {
  private static final Logger LOG = LoggerFactory.getLogger(MintRoute.class);
  static final String TOO_LARGE = "request body too large";
  static final String UNREADABLE = "request body could not be read";
  static final String NO_SIGNER = "no signing key available";
  static final String INTERNAL = "internal error";

  private final MintRequestParser parser;
  private final MintGate gate;
  private final TokenMinter minter;
  private final Clock clock;
  private final IssuerMetrics metrics;
  private final MintAudit audit;

  public MintRoute(
      MintRequestParser parser,
      MintGate gate,
      TokenMinter minter,
      Clock clock,
      IssuerMetrics metrics,
      MintAudit audit) {
    this.parser = parser;
    this.gate = gate;
    this.minter = minter;
    this.clock = clock;
    this.metrics = metrics;
    this.audit = audit;
  }

  @Override
  public void handle(Context ctx) {
    long start = System.nanoTime();
    Instant arrived = clock.instant();
    HttpServletRequest req = ctx.req();
    String source = req.getRemoteAddr();
    boolean json = RequestBodies.isJson(req.getContentType());
    long declared = req.getContentLengthLong();

    // Credentials first, on the headers: a caller without them never gets its body read.
    MintDecision.Deny refused;
    try {
      refused = gate.admit(ctx);
    } catch (RuntimeException e) {
      LOG.error("mint gate failed; request refused", e);
      ctx.header("Connection", "close");
      JsonAnswers.error(ctx, 500, INTERNAL);
      end(start, new MintAuditRecord(arrived, null, source, null, null, null, null, null,
          MintOutcome.ERROR, "mint gate failed"));
      return;
    }
    if (refused != null) {
      // The body is left unread: Jetty takes what already arrived without blocking and, if more
      // is due, closes the connection after the answer instead of waiting for it.
      JsonAnswers.error(ctx, refused.status(), refused.error());
      end(start, new MintAuditRecord(arrived, refused.caller(), source, null, null, null, null,
          null, MintOutcome.ofDenial(refused.status()), refused.reason()));
      return;
    }

    String caller = admittedCaller(ctx);
    byte[] body;
    BodyDeadline.Armed deadline = BodyDeadline.arm(req, HttpLimits.BODY_READ_DEADLINE);
    try {
      if (declared > RequestBodies.MAX_BYTES) {
        throw new RequestBodies.TooLargeException();
      }
      // Read whatever the type, so an oversized body is 413 however it is labelled.
      body = RequestBodies.read(req.getInputStream(), declared, RequestBodies.MAX_BYTES);
    } catch (RequestBodies.TooLargeException e) {
      // The rest of the body is never read: close the connection rather than drain it.
      ctx.header("Connection", "close");
      JsonAnswers.error(ctx, 413, TOO_LARGE);
      end(start, new MintAuditRecord(arrived, caller, source, null, null, null, null, null,
          MintOutcome.TOO_LARGE, "body over " + RequestBodies.MAX_BYTES + " bytes"));
      return;
    } catch (IOException e) {
      ctx.header("Connection", "close");
      JsonAnswers.error(ctx, 400, UNREADABLE);
      String reason = deadline.expired()
          ? "body not received within " + HttpLimits.BODY_READ_DEADLINE.toSeconds() + "s"
          : UNREADABLE;
      end(start, new MintAuditRecord(arrived, caller, source, null, null, null, null, null,
          MintOutcome.INVALID, reason));
      return;
    } finally {
      deadline.disarm();
    }

    MintRequestParser.Result parsed = parser.parse(json, body);
    if (!parsed.valid()) {
      JsonAnswers.error(ctx, 400, parsed.error());
      end(start, new MintAuditRecord(arrived, caller, source, null, null, null, null, null,
          MintOutcome.INVALID, parsed.error()));
      return;
    }
    MintRequest request = parsed.request();

    MintDecision decision;
    try {
      decision = gate.decide(ctx, request);
    } catch (RuntimeException e) {
      // Fail closed; the gate's exception never carries the request body.
      LOG.error("mint gate failed; request refused", e);
      fail(ctx, start, arrived, source, null, request, "mint gate failed");
      return;
    }

    if (decision instanceof MintDecision.Deny deny) {
      if (deny.retryAfterSeconds() != null) {
        ctx.header("Retry-After", Long.toString(deny.retryAfterSeconds()));
      }
      JsonAnswers.error(ctx, deny.status(), deny.error());
      end(start, auditOf(arrived, deny.caller(), source, request, request.ttlSeconds(), null,
          MintOutcome.ofDenial(deny.status()), deny.reason()));
      return;
    }

    MintDecision.Allow allow = (MintDecision.Allow) decision;
    long ttl = request.ttlSeconds();
    if (allow.maxTtlSeconds() != null && allow.maxTtlSeconds() < ttl) {
      ttl = allow.maxTtlSeconds();
    }
    MintedToken token;
    try {
      token = minter.mint(request.sender(), request.scopes(), ttl, clock.instant());
    } catch (NoSigningKeyException e) {
      JsonAnswers.error(ctx, 503, NO_SIGNER);
      end(start, auditOf(arrived, allow.caller(), source, request, ttl, null,
          MintOutcome.UNAVAILABLE, e.getMessage()));
      return;
    } catch (RuntimeException e) {
      LOG.error("signing failed", e);
      fail(ctx, start, arrived, source, allow.caller(), request, "signing failed");
      return;
    }

    ttl = token.expiresAt() - token.issuedAt(); // the key set may clamp it further
    ctx.header("Cache-Control", "no-store");
    JsonAnswers.json(ctx, 200, answer(token.token(), request.sender(), ttl));
    end(start, new MintAuditRecord(arrived, allow.caller(), source, request.sender(),
        request.scopes(), ttl, token.kid(), token.jti(), MintOutcome.ISSUED, null));
  }

  /** The caller the gate admitted, for the audit; null when the gate can't say. */
  private String admittedCaller(Context ctx) {
    try {
      return gate.admittedCaller(ctx);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void fail(Context ctx, long start, Instant arrived, String source, String caller,
      MintRequest request, String reason) {
    JsonAnswers.error(ctx, 500, INTERNAL);
    end(start, auditOf(arrived, caller, source, request, request.ttlSeconds(), null,
        MintOutcome.ERROR, reason));
  }

  private static MintAuditRecord auditOf(Instant arrived, String caller, String source,
      MintRequest request, long ttl, String kid, MintOutcome outcome, String reason) {
    return new MintAuditRecord(arrived, caller, source, request.sender(), request.scopes(), ttl,
        kid, null, outcome, reason);
  }

  private void end(long start, MintAuditRecord record) {
    audit.record(record);
    metrics.mint(record.outcome(), start);
  }

  /** {@code {"token":..,"sender":..,"expires_in_seconds":..}} in the contract's field order. */
  static byte[] answer(String token, String sender, long expiresIn) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(token.length() + sender.length() + 64);
    try (JsonGenerator g = IssuerJson.generator(out)) {
      g.writeStartObject();
      g.writeStringField("token", token);
      g.writeStringField("sender", sender);
      g.writeNumberField("expires_in_seconds", expiresIn);
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e);
    }
    return out.toByteArray();
  }
}
