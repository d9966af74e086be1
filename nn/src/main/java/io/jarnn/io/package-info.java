/**
 * Model files: a whole {@link io.jarnn.nn.ARNN} in one NumPy {@code .npz} (NetKet-named
 * parameters plus a JSON configuration entry), and the configuration's JSON form. JDK only.
 *
 * <ul>
 *   <li>{@link io.jarnn.io.ModelFiles}: save, load, and load a plain NetKet parameter file
 *       against a configuration.</li>
 *   <li>{@link io.jarnn.io.ModelConfigJson}: the configuration as strict, versioned JSON.</li>
 *   <li>{@link io.jarnn.io.ModelFileException}: a readable archive that is not a valid model.</li>
 * </ul>
 */
package io.jarnn.io;
