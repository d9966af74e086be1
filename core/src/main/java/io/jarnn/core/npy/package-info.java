/**
 * NumPy {@code .npy} and {@code .npz} files, so that parameters trained in NetKet load into
 * jarnn and jarnn's outputs load into NumPy.
 *
 * <ul>
 *   <li>{@link io.jarnn.core.npy.Npy}: one array per {@code .npy} file, read in its stored
 *       precision ({@code '<f8'} as float64, everything else as float32) or converted to
 *       either, and written in its own precision exactly as {@code numpy.save} writes it.</li>
 *   <li>{@link io.jarnn.core.npy.NpzArchive}: {@code numpy.savez} archives of named arrays, plus
 *       UTF-8 text entries such as a model configuration; arrays of both precisions side by
 *       side.</li>
 *   <li>{@link io.jarnn.core.npy.ReadLimits}: bounds on what a file may make the reader
 *       allocate, so hostile input fails with an error rather than exhausting memory.</li>
 *   <li>{@link io.jarnn.core.npy.NpyFormatException}: every unreadable file, naming the file
 *       and, inside an archive, the key.</li>
 *   <li>{@link io.jarnn.core.npy.NpyStreamWriter}: one {@code .npy} array written a block at a
 *       time, in bounded memory.</li>
 *   <li>{@link io.jarnn.core.npy.AtomicFileSet}: files that belong together replaced so that
 *       readers never see a mixed set.</li>
 * </ul>
 * Writes replace the target atomically and leave no temporary file on any exit path. No
 * dependency beyond the JDK.
 */
package io.jarnn.core.npy;
