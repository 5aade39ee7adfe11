package io.hookwire.bench;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * The PostgreSQL server's processes, when the database runs on this machine: their CPU time is part
 * of what each delivery costs the machine, and shares its cores with the rest.
 */
final class LocalDatabase {
  private LocalDatabase() {}

  /**
   * Present when {@code databaseUrl} names a PostgreSQL server on one of this machine's addresses.
   */
  static Optional<LocalDatabase> of(Optional<String> databaseUrl) {
    return databaseUrl
        .map(url -> Driver.parseURL(url, new Properties()))
        .filter(LocalDatabase::isLocal)
        .map(p -> new LocalDatabase());
  }

  private static boolean isLocal(Properties url) {
    String hosts = url.getProperty("PGHOST", "localhost");
    try {
      for (String host : hosts.split(",")) {
        InetAddress address = InetAddress.getByName(host);
        if (!address.isLoopbackAddress() && NetworkInterface.getByInetAddress(address) == null) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException | SocketException e) {
      return false;
    }
  }

  /**
   * CPU time so far of every {@code postgres} process: the postmaster, its background workers and
   * one backend per pooled connection (those live as long as the pools, so a phase loses none).
   */
  long cpuNanos() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(LocalDatabase::isPostgres).orElse(false))
        .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
        .sum();
  }

  private static boolean isPostgres(String command) {
    Path name = Path.of(command).getFileName();
    return name != null && name.toString().equals("postgres");
  }
}
