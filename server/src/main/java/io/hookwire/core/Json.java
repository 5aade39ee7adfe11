package io.hookwire.core;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one Jackson mapper: strict on input, so bad JSON is refused, never a guess. */
public final class Json {
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*?)'");

  /** Deeper documents are an attack, not an event. */
  private static final int MAX_NESTING = 64;

  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonParser.Feature.ALLOW_COMMENTS)
          // {"a":1,"a":2} means different things to different parsers: refused, not guessed.
          // Checked as the tree is built (the map's put tells), not by the parser, which keeps a
          // set of names per object.
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
  }

  /** Input that is not what it claims to be, with a message for whoever sent it. */
  public static final class Malformed extends RuntimeException {
    public Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private Json() {}

  /**
   * @throws Malformed naming what is wrong, for any malformed input
   */
  public static JsonNode parse(byte[] body) {
    // Jackson would quietly turn some malformed bytes into U+FFFD and store that.
    utf8(body, "the body");
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new Malformed("the body is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new Malformed(describe(e));
    } catch (IOException e) {
      throw new Malformed("unreadable body");
    }
  }

  /**
   * What is wrong with the JSON, in the API's words: where, and why in terms of JSON, never the
   * parser's own (its class names, settings or source descriptions).
   */
  static String describe(JsonProcessingException e) {
    if (e instanceof StreamConstraintsException) {
      String m = String.valueOf(e.getOriginalMessage());
      if (m.contains("nesting depth")) {
        return "the JSON is nested more than " + MAX_NESTING + " levels deep";
      }
      if (m.contains("Number value length")) {
        return "a number in the JSON has too many digits";
      }
      if (m.contains("String value length") || m.contains("Name length")) {
        return "a string in the JSON is too long";
      }
      return "the JSON is too large";
    }
    if (e instanceof JsonEOFException) {
      return "malformed JSON: it ends before it is complete";
    }
    String reason = String.valueOf(e.getOriginalMessage());
    Matcher duplicate = DUPLICATE.matcher(reason);
    if (duplicate.lookingAt()) {
      reason = "duplicate key \"" + duplicate.group(1) + "\"";
    }
    // Jackson appends where an unclosed value started, with a description of its source.
    for (String cut : List.of(" (start marker at", "\n", " at [Source")) {
      int at = reason.indexOf(cut);
      if (at >= 0) {
        reason = reason.substring(0, at);
      }
    }
    reason = reason.replaceAll("\\s*\\([^()]*`[^`]*`[^()]*\\)", "").replace("`", "").strip();
    JsonLocation where = e.getLocation();
    return where == null || where.getLineNr() < 1
        ? "malformed JSON: " + reason
        : "malformed JSON at line "
            + where.getLineNr()
            + ", column "
            + where.getColumnNr()
            + ": "
            + reason;
  }

  /** JSON this process stored or wrote itself: a failure is a bug, not bad input. */
  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON does not parse", e);
    }
  }

  /**
   * The text of {@code bytes}.
   *
   * @param what how to name the bytes if they are not well-formed UTF-8
   * @throws Malformed if they are not
   */
  public static String utf8(byte[] bytes, String what) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new Malformed(what + " is not valid UTF-8");
    }
  }
}
