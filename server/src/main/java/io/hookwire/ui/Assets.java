package io.hookwire.ui;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The stylesheet, script and icon of the admin pages, read from the jar once. Their URLs carry a
 * hash of the content, so a browser may cache them for long and still never runs a stale script.
 */
final class Assets {
  private record Asset(byte[] bytes, String contentType) {}

  private static final Map<String, String> TYPES =
      Map.of(
          "app.css", "text/css; charset=utf-8",
          "app.js", "text/javascript; charset=utf-8",
          "icon.svg", "image/svg+xml");

  private final Map<String, Asset> assets;
  private final String version;

  Assets() {
    MessageDigest digest = sha256();
    Map<String, Asset> loaded = new HashMap<>();
    for (String name : TYPES.keySet().stream().sorted().toList()) {
      byte[] bytes = read("/ui/assets/" + name);
      digest.update(bytes);
      loaded.put(name, new Asset(bytes, TYPES.get(name)));
    }
    this.assets = Map.copyOf(loaded);
    this.version = HexFormat.of().formatHex(digest.digest()).substring(0, 12);
  }

  /** The URL of an asset, versioned by content. */
  String url(String name) {
    if (!assets.containsKey(name)) {
      throw new IllegalArgumentException("no asset " + name);
    }
    return AdminUi.ROOT + "/assets/" + name + "?v=" + version;
  }

  /** Serves {@code /ui/assets/{name}}; an unknown name is a 404. */
  boolean serve(Context ctx, String name) {
    Optional<Asset> asset = Optional.ofNullable(assets.get(name));
    if (asset.isEmpty()) {
      return false;
    }
    ctx.contentType(asset.get().contentType());
    ctx.header("Cache-Control", "public, max-age=31536000, immutable");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.result(asset.get().bytes());
    return true;
  }

  private static byte[] read(String path) {
    try (InputStream in = Assets.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
