package io.hookwire.core;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only this user may read: the data directory is created 0700 and the files in it 0600, so a
 * database or key is never readable by other users of the machine, whatever the umask. On a file
 * system without POSIX permissions these only create what is missing.
 */
public final class PrivateFiles {
  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** Creates {@code dir} and its missing parents 0700; an existing directory is left as it is. */
  public static void directory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (posix(dir.toAbsolutePath().getRoot())) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
    } else {
      Files.createDirectories(dir);
    }
  }

  /**
   * Creates {@code file} empty and 0600 when it is missing; makes an existing one 0600 when others
   * could read or write it.
   *
   * @return whether an existing file's permissions were narrowed
   */
  public static boolean file(Path file) throws IOException {
    boolean posix = posix(file.toAbsolutePath().getParent());
    if (!Files.exists(file)) {
      try {
        if (posix) {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } else {
          Files.createFile(file);
        }
        return false;
      } catch (FileAlreadyExistsException raced) {
        // Another process made it first: narrow it below like any existing file.
      }
    }
    if (posix && !FILE.containsAll(Files.getPosixFilePermissions(file))) {
      Files.setPosixFilePermissions(file, FILE);
      return true;
    }
    return false;
  }

  private static boolean posix(Path onFileSystemOf) {
    return onFileSystemOf.getFileSystem().supportedFileAttributeViews().contains("posix")
        && Files.getFileAttributeView(onFileSystemOf, PosixFileAttributeView.class) != null;
  }
}
