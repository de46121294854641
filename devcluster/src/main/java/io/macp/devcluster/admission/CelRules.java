package io.macp.devcluster.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates a CRD's x-kubernetes-validations rules with the CEL reference implementation for Java.
 * The API server types {@code self} from the schema; here it is {@code dyn}, so a rule naming a
 * field that does not exist fails when evaluated rather than when the CRD is created.
 */
final class CelRules {
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

  private CelRules() {}

  static CelAbstractSyntaxTree compile(String rule) {
    try {
      return COMPILER.compile(rule).getAst();
    } catch (CelValidationException e) {
      throw new IllegalArgumentException("CEL rule does not compile: " + rule + "\n" + e.getMessage(), e);
    }
  }

  /** True when the rule holds for self; an evaluation error refuses the object, as in a cluster. */
  static boolean holds(String rule, JsonNode self) throws CelEvaluationException {
    Object result = program(rule).eval(Map.of("self", toCel(self)));
    if (!(result instanceof Boolean b)) {
      throw new IllegalArgumentException("CEL rule is not a boolean expression: " + rule);
    }
    return b;
  }

  private static CelRuntime.Program program(String rule) throws CelEvaluationException {
    CelRuntime.Program program = PROGRAMS.get(rule);
    if (program == null) {
      program = RUNTIME.createProgram(compile(rule));
      PROGRAMS.put(rule, program);
    }
    return program;
  }

  /** JSON to CEL values: objects are maps, integers are int (long), other numbers double. */
  static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        map.put(field.getKey(), toCel(field.getValue()));
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    throw new IllegalArgumentException("no CEL value for " + node);
  }
}
