package io.macp.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerSpecValidator;
import io.macp.operator.resources.IssuerDeploymentBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Validate once (issue 9): the spec of a MacpIssuer is read by {@link IssuerSpecValidator} alone;
 * the reconciler, the dependents, their builders and their preconditions read the {@code
 * IssuerPolicy} it returns. Both live in {@code policy}, the layer below the dependents
 * ({@code resources}) and the {@code reconciler}, and the operator's packages form no cycle.
 * Checked over the compiled production classes.
 */
class SpecReadersArchitectureTest {
  private static JavaClasses production;

  @BeforeAll
  static void importClasses() {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("io.macp.operator");
  }

  /** Who may call {@code MacpIssuer.getSpec()}: the validator, and the model itself. */
  private static ArchRule onlyTheValidatorReadsTheSpec(Class<?>... allowed) {
    return noClasses()
        .that().resideInAPackage("io.macp.operator..")
        .and().doNotBelongToAnyOf(allowed)
        .should().callMethod(MacpIssuer.class, "getSpec")
        .because("the spec is validated once into an IssuerPolicy, which everything else reads");
  }

  @Test
  void noDependentBuilderOrPreconditionReadsTheSpec() {
    noClasses()
        .that().resideInAPackage("io.macp.operator.resources..")
        .should().callMethod(MacpIssuer.class, "getSpec")
        .because("desired() and the reconcile preconditions read the IssuerPolicy in the context")
        .check(production);
  }

  @Test
  void nothingButTheValidatorReadsTheSpec() {
    onlyTheValidatorReadsTheSpec(IssuerSpecValidator.class, MacpIssuer.class).check(production);
  }

  /** The validated spec is a layer of its own: what it needs, it holds. */
  private static final ArchRule POLICY_IS_BELOW_THE_DEPENDENTS_AND_THE_RECONCILER = noClasses()
      .that().resideInAPackage("io.macp.operator.policy..")
      .should().dependOnClassesThat()
      .resideInAnyPackage("io.macp.operator.resources..", "io.macp.operator.reconciler..")
      .because("resources and reconciler read the IssuerPolicy; policy reads only the model");

  private static final ArchRule NO_PACKAGE_CYCLES = slices()
      .matching("io.macp.operator.(*)..")
      .should().beFreeOfCycles()
      .because("each operator package builds on the ones below it");

  @Test
  void policyDependsOnNeitherTheDependentsNorTheReconciler() {
    POLICY_IS_BELOW_THE_DEPENDENTS_AND_THE_RECONCILER.check(production);
  }

  @Test
  void theOperatorsPackagesFormNoCycle() {
    NO_PACKAGE_CYCLES.check(production);
  }

  /**
   * The layer rules see dependencies at all: the tests of {@code policy} use the test fixtures of
   * {@code resources} and {@code reconciler}, which production classes may not.
   */
  @Test
  void theLayerRulesFindAnUpwardDependency() {
    JavaClasses withTests = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("io.macp.operator");
    assertThatThrownBy(() -> POLICY_IS_BELOW_THE_DEPENDENTS_AND_THE_RECONCILER.check(withTests))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("io.macp.operator.policy.IssuerSpecValidatorTest")
        .hasMessageContaining("io.macp.operator.reconciler.IssuerTestCluster");
    assertThatThrownBy(() -> NO_PACKAGE_CYCLES.check(withTests))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected");
  }

  /** The rules see calls at all: the validator's own reads break the rule without its exemption. */
  @Test
  void theRuleFindsASpecRead() {
    assertThat(production.contain(IssuerDeploymentBuilder.class)).isTrue();
    assertThatThrownBy(() -> onlyTheValidatorReadsTheSpec(MacpIssuer.class).check(production))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(IssuerSpecValidator.class.getName() + ".validate(")
        .hasMessageContaining("getSpec()");
  }
}
