package io.hookwire.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesEveryCharacterThatCouldEndTextOrAnAttribute() {
    assertThat(Html.escape("<a href=\"x\" title='y'>&</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    assertThat(Html.escape("plain text, ünïcödé")).isEqualTo("plain text, ünïcödé");
    assertThat(Html.escape(null)).isEmpty();
  }

  @Test
  void textArgumentsAreEscapedAndMarkupArgumentsAreNot() {
    Html cell = Html.of("<td>{}</td>", "<b>bold?</b>");
    Html row = Html.of("<tr title=\"{}\">{}</tr>", "\" onmouseover=\"x", cell);

    assertThat(row.markup())
        .isEqualTo(
            "<tr title=\"&quot; onmouseover=&quot;x\"><td>&lt;b&gt;bold?&lt;/b&gt;</td></tr>");
  }

  @Test
  void collectionsAreJoinedAndNumbersWritten() {
    Html list =
        Html.of("<ul>{}</ul>", List.of(Html.of("<li>{}</li>", 1), Html.of("<li>{}</li>", 2L)));

    assertThat(list.markup()).isEqualTo("<ul><li>1</li><li>2</li></ul>");
  }

  @Test
  void placeholderAndArgumentCountsMustAgree() {
    assertThatThrownBy(() -> Html.of("<p>{}</p>")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Html.of("<p>{}</p>", "a", "b"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
