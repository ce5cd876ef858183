package dev.switchboard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The layer rules of the architecture, as rules over compiled classes. A package and its own
 * {@code internal} package count as one unit (its owner). Units are given bottom first, a rank
 * per line; units on one rank are siblings.
 *
 * <ul>
 *   <li>No cycle between units.
 *   <li>No dependency on a unit of a higher rank.
 *   <li>No dependency on the {@code internal} package of a sibling (same rank): only the unit
 *       itself and the layers above it reach into it.
 *   <li>No public type of a public package names another unit's internal type in its visible
 *       signatures (fields, constructors, methods, supertypes).
 * </ul>
 */
final class LayerRules {
  private static final String ROOT = "dev.switchboard.";
  private static final String INTERNAL = ".internal";

  private final List<Set<String>> ranks;
  private final Set<String> allowedSiblingInternals;

  /**
   * {@code ranks}: unit names (packages below {@code dev.switchboard}, without {@code internal}),
   * bottom first. {@code allowedSiblingInternals}: {@code "Origin -> Target"} class names (fully
   * qualified) that may use a sibling's internal class, each with a reason where it is listed.
   */
  LayerRules(List<Set<String>> ranks, Set<String> allowedSiblingInternals) {
    this.ranks = ranks;
    this.allowedSiblingInternals = allowedSiblingInternals;
  }

  static String unitOf(String packageName) {
    String unit = packageName.endsWith(INTERNAL)
        ? packageName.substring(0, packageName.length() - INTERNAL.length())
        : packageName;
    return unit.startsWith(ROOT) ? unit.substring(ROOT.length()) : unit;
  }

  private static boolean ours(JavaClass type) {
    return type.getPackageName().startsWith(ROOT);
  }

  private static boolean internal(JavaClass type) {
    return type.getPackageName().endsWith(INTERNAL);
  }

  /** The rank of {@code unit}, or of its closest listed parent package; empty when not listed. */
  Optional<Integer> rankOf(String unit) {
    for (String candidate = unit; ; candidate = candidate.substring(0, candidate.lastIndexOf('.'))) {
      for (int rank = 0; rank < ranks.size(); rank++) {
        if (ranks.get(rank).contains(candidate)) {
          return Optional.of(rank);
        }
      }
      if (candidate.indexOf('.') < 0) {
        return Optional.empty();
      }
    }
  }

  ArchRule noCycles() {
    SliceAssignment units = new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass type) {
        return ours(type) ? SliceIdentifier.of(unitOf(type.getPackageName())) : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "packages of " + ROOT + "*, each with its own internal";
      }
    };
    return slices().assignedFrom(units).should().beFreeOfCycles();
  }

  ArchRule noUpwardOrSidewaysInternalImports() {
    return classes().that().resideInAPackage("dev.switchboard..").should(new ArchCondition<>("depend only on their own unit, lower layers, or public packages of siblings") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        String unit = unitOf(type.getPackageName());
        Optional<Integer> rank = rankOf(unit);
        if (rank.isEmpty()) {
          events.add(SimpleConditionEvent.violated(type, "package " + type.getPackageName() + " is in no layer"));
          return;
        }
        for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
          JavaClass target = dependency.getTargetClass().getBaseComponentType();
          if (!ours(target)) {
            continue;
          }
          String targetUnit = unitOf(target.getPackageName());
          if (targetUnit.equals(unit)) {
            continue;
          }
          Optional<Integer> targetRank = rankOf(targetUnit);
          if (targetRank.isEmpty()) {
            continue;
          }
          if (targetRank.get() > rank.get()) {
            events.add(SimpleConditionEvent.violated(dependency, "up the layers (" + unit + " below " + targetUnit + "): " + dependency.getDescription()));
          } else if (targetRank.get().equals(rank.get()) && internal(target)
              && !allowedSiblingInternals.contains(topLevel(type).getName() + " -> " + topLevel(target).getName())) {
            events.add(SimpleConditionEvent.violated(dependency, "into a sibling's internals (" + unit + " beside " + targetUnit + "): " + dependency.getDescription()));
          }
        }
      }
    });
  }

  ArchRule noExposedInternals() {
    return classes().that().resideInAPackage("dev.switchboard..").and().arePublic().should(new ArchCondition<>("not name another package's internal types in their public signatures") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        if (internal(type) || !visible(type)) {
          return;
        }
        String unit = unitOf(type.getPackageName());
        Stream<JavaType> supertypes = Stream.concat(type.getSuperclass().stream(), type.getInterfaces().stream());
        report(type, unit, "extends", supertypes, events);
        for (JavaField field : type.getFields()) {
          if (visible(field.getModifiers())) {
            report(type, unit, "field " + field.getName(), Stream.of(field.getType()), events);
          }
        }
        for (JavaCodeUnit code : type.getCodeUnits()) {
          if (visible(code.getModifiers()) && !code.getModifiers().contains(JavaModifier.SYNTHETIC)) {
            Stream<JavaType> signature = Stream.concat(Stream.of(code.getReturnType()), code.getParameterTypes().stream());
            report(type, unit, code.getFullName(), signature, events);
          }
        }
      }
    });
  }

  private static JavaClass topLevel(JavaClass type) {
    JavaClass top = type;
    while (top.getEnclosingClass().isPresent()) {
      top = top.getEnclosingClass().get();
    }
    return top;
  }

  private static boolean visible(JavaClass type) {
    for (Optional<JavaClass> t = Optional.of(type); t.isPresent(); t = t.get().getEnclosingClass()) {
      if (!t.get().getModifiers().contains(JavaModifier.PUBLIC)) {
        return false;
      }
    }
    return true;
  }

  private static boolean visible(Set<JavaModifier> modifiers) {
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }

  private static void report(JavaClass owner, String unit, String where, Stream<JavaType> types, ConditionEvents events) {
    types.flatMap(t -> t.getAllInvolvedRawTypes().stream())
        .map(JavaClass::getBaseComponentType)
        .filter(t -> ours(t) && internal(t) && !unitOf(t.getPackageName()).equals(unit))
        .distinct()
        .forEach(t -> events.add(SimpleConditionEvent.violated(owner, owner.getName() + " exposes " + t.getName() + " in " + where)));
  }
}
