package io.fleetcast.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relative links of Markdown files and whether they resolve inside the repository: the
 * file must exist under the repository root, and a {@code #fragment} must name a heading of
 * the target (GitHub's anchor rules). Links inside code (fenced blocks, inline code) are not
 * links; absolute URLs ({@code https:}, {@code mailto:}) are not checked here.
 */
final class MarkdownLinks {
  private static final Pattern INLINE = Pattern.compile("!?\\[(?:[^\\[\\]]|\\[[^\\]]*])*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
  private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  /** One link that does not resolve, with where it was found and why. */
  record Broken(Path file, int line, String target, String why) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + target + " (" + why + ")";
    }
  }

  private final Path root;
  private final Map<Path, Set<String>> anchors = new HashMap<>();

  MarkdownLinks(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Every link target of a Markdown text outside code, with its 1-based line number. */
  static List<Map.Entry<Integer, String>> links(String markdown) {
    List<Map.Entry<Integer, String>> out = new ArrayList<>();
    boolean fenced = false;
    String[] lines = markdown.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.strip().startsWith("```") || line.strip().startsWith("~~~")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      String text = INLINE_CODE.matcher(line).replaceAll("");
      Matcher m = INLINE.matcher(text);
      while (m.find()) {
        out.add(Map.entry(i + 1, m.group(1)));
      }
      Matcher r = REFERENCE.matcher(text);
      if (r.matches()) {
        out.add(Map.entry(i + 1, r.group(1)));
      }
    }
    return out;
  }

  /** The links of {@code file} that do not resolve. */
  List<Broken> broken(Path file) throws IOException {
    List<Broken> out = new ArrayList<>();
    Path abs = file.toAbsolutePath().normalize();
    for (Map.Entry<Integer, String> link : links(Files.readString(abs))) {
      String target = link.getValue();
      if (SCHEME.matcher(target).find()) {
        continue;
      }
      String why = why(abs, target);
      if (why != null) {
        out.add(new Broken(root.relativize(abs), link.getKey(), target, why));
      }
    }
    return out;
  }

  private String why(Path from, String target) throws IOException {
    int hash = target.indexOf('#');
    String pathPart = hash < 0 ? target : target.substring(0, hash);
    String fragment = hash < 0 ? null : target.substring(hash + 1);
    Path dest = pathPart.isEmpty() ? from : from.getParent().resolve(pathPart).normalize();
    if (target.startsWith("/")) {
      return "absolute path: use a path relative to this file";
    }
    if (!dest.startsWith(root)) {
      return "points outside the repository";
    }
    if (!Files.exists(dest)) {
      return "no such file";
    }
    if (fragment != null && !fragment.isEmpty() && dest.toString().endsWith(".md")
        && !anchorsOf(dest).contains(fragment)) {
      return "no heading with anchor #" + fragment + " in " + root.relativize(dest);
    }
    return null;
  }

  private Set<String> anchorsOf(Path md) throws IOException {
    Set<String> known = anchors.get(md);
    if (known != null) {
      return known;
    }
    Set<String> found = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean fenced = false;
    for (String line : Files.readString(md).split("\n", -1)) {
      if (line.strip().startsWith("```") || line.strip().startsWith("~~~")) {
        fenced = !fenced;
        continue;
      }
      Matcher h = HEADING.matcher(line);
      if (!fenced && h.matches()) {
        String slug = slug(h.group(1));
        int n = seen.merge(slug, 1, Integer::sum) - 1;
        found.add(n == 0 ? slug : slug + "-" + n);
      }
    }
    anchors.put(md, found);
    return found;
  }

  /** GitHub's heading anchor: lower case, markup and punctuation dropped, spaces to hyphens. */
  static String slug(String heading) {
    String text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").replace("`", "").replace("*", "");
    text = Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(java.util.Locale.ROOT);
    StringBuilder sb = new StringBuilder();
    text.codePoints().forEach(cp -> {
      if (Character.isLetterOrDigit(cp) || cp == '-' || cp == '_') {
        sb.appendCodePoint(cp);
      } else if (cp == ' ') {
        sb.append('-');
      }
    });
    return sb.toString();
  }
}
