package io.hookwire.ui;

import java.util.Collection;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Markup that is safe to send: made only from constant templates, with every value escaped on the
 * way in. A page is built from these, so a value cannot reach the browser unescaped by accident: a
 * {@code String} argument is always text, never markup.
 */
public record Html(String markup) {
  public static final Html EMPTY = new Html("");

  /**
   * Fills each {@code {}} of the template, in order: an {@link Html} as it is, a collection of them
   * joined, anything else as escaped text.
   *
   * @param template constant markup, never built from input
   */
  public static Html of(String template, Object... args) {
    StringBuilder out = new StringBuilder(template.length() + 64 * args.length);
    int from = 0;
    for (Object arg : args) {
      int at = template.indexOf("{}", from);
      if (at < 0) {
        throw new IllegalArgumentException("more arguments than {} in: " + template);
      }
      out.append(template, from, at);
      append(out, arg);
      from = at + 2;
    }
    if (template.indexOf("{}", from) >= 0) {
      throw new IllegalArgumentException("fewer arguments than {} in: " + template);
    }
    return new Html(out.append(template, from, template.length()).toString());
  }

  public static Html join(Stream<Html> parts) {
    return new Html(parts.map(Html::markup).collect(Collectors.joining()));
  }

  public static Html join(Collection<Html> parts) {
    return join(parts.stream());
  }

  public static Html when(boolean condition, Html html) {
    return condition ? html : EMPTY;
  }

  /** Text made safe for an element's content and for a quoted attribute value. */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      String replacement =
          switch (text.charAt(i)) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
          };
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(text.charAt(i));
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static void append(StringBuilder out, Object arg) {
    switch (arg) {
      case Html html -> out.append(html.markup);
      case Collection<?> items -> items.forEach(item -> append(out, item));
      case null -> {}
      default -> out.append(escape(arg.toString()));
    }
  }

  @Override
  public String toString() {
    return markup;
  }
}
