package io.jarnn.properties;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyAttributes;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Chooses seeds and tries for every property of this suite. Registered for the whole jqwik
 * engine through {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}, so a new
 * property class cannot forget it.
 *
 * <ul>
 *   <li>Default (CI): a fixed seed per property, derived from {@link #BASE_SEED} and the
 *       property's name, and the tries of its annotation: every run generates the same cases,
 *       so a CI failure reproduces locally.</li>
 *   <li>{@code -Djarnn.deep=true}: random seeds (jqwik prints the seed of a failure) and
 *       {@code -Djarnn.deep.factor} (default 10) times the tries.</li>
 *   <li>{@code -Djarnn.props.seed=N}: seed N for every property, in either mode, to reproduce a
 *       failure of a deep run.</li>
 * </ul>
 * jqwik lets an around-property hook change the attributes before the property executes; a
 * seed written in a {@code @Property(seed = ...)} annotation is left alone in the default mode.
 */
public final class SuiteRunMode implements AroundPropertyHook {
    public static final String DEEP = "jarnn.deep";
    public static final String DEEP_FACTOR = "jarnn.deep.factor";
    public static final String SEED = "jarnn.props.seed";
    static final long BASE_SEED = 20_251_125L;

    /** Registered once for the whole engine (META-INF/services), so it must reach every property. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        PropertyAttributes attributes = context.attributes();
        String forcedSeed = System.getProperty(SEED, "").trim();
        boolean deep = Boolean.getBoolean(DEEP);
        if (!forcedSeed.isEmpty()) {
            attributes.setSeed(forcedSeed);
        } else if (!deep && attributes.seed().filter(s -> !s.isBlank()).isEmpty()) {
            attributes.setSeed(Long.toString(fixedSeed(context.targetMethod().getDeclaringClass().getSimpleName()
                    + "." + context.targetMethod().getName())));
        }
        if (deep) {
            int factor = Integer.getInteger(DEEP_FACTOR, 10);
            // Examples (one try) stay examples.
            attributes.tries().filter(tries -> tries > 1)
                    .ifPresent(tries -> attributes.setTries(Math.multiplyExact(tries, factor)));
        }
        return property.execute();
    }

    /** Stable across JVMs and machines: String.hashCode is specified. */
    static long fixedSeed(String propertyName) {
        return BASE_SEED * 31 + propertyName.hashCode();
    }
}
