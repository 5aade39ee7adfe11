package io.hookwire.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** The one Jackson mapper: strict on input, so bad JSON is a 400, never a guess. */
public final class Json {
  /** Deeper documents are an attack, not an event. */
  private static final int MAX_NESTING = 64;

  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonParser.Feature.ALLOW_COMMENTS)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
  }

  private Json() {}

  /**
   * @throws ApiException 400 naming what is wrong, for any malformed input
   */
  public static JsonNode parse(byte[] body) {
    // Jackson would quietly turn some malformed bytes into U+FFFD and store that.
    Params.utf8(body, "the body");
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw ApiException.general(400, "the body is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ApiException.general(400, "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.general(400, "unreadable body");
    }
  }

  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON does not parse", e);
    }
  }
}
