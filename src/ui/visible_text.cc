#include "ui/visible_text.h"

#include <cstdint>
#include <cstdio>

namespace brock {

namespace {

std::string Hex2(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", c);
  return buf;
}

std::string Hex4(uint32_t cp) {
  char buf[12];
  std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
  return buf;
}

// The length of the well-formed UTF-8 sequence at text[i] and its code point, or 0.
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t* cp) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (len == 0 || i + len > text.size()) return 0;
  uint32_t v = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(text[i + k]);
    if ((cc & 0xc0) != 0x80) return 0;
    v = (v << 6) | (cc & 0x3f);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < kMin[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return 0;
  *cp = v;
  return len;
}

bool IsInvisibleFormat(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) ||
         (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

std::string C0Escape(unsigned char c) {
  switch (c) {
    case 0x1b:
      return "\\e";
    case '\a':
      return "\\a";
    case '\b':
      return "\\b";
    case '\t':
      return "\\t";
    case '\r':
      return "\\r";
    case '\v':
      return "\\v";
    case '\f':
      return "\\f";
    case '\n':
      return "\\n";
    default:
      return Hex2(c);
  }
}

}  // namespace

std::vector<VisiblePiece> ToVisiblePieces(std::string_view text, bool keep_newlines) {
  std::vector<VisiblePiece> out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n' && keep_newlines) {
      out.push_back({"\n", false});
      ++i;
      continue;
    }
    if (c < 0x20 || c == 0x7f) {
      out.push_back({C0Escape(c), true});
      ++i;
      continue;
    }
    uint32_t cp = 0;
    size_t len = DecodeUtf8(text, i, &cp);
    if (len == 0) {
      out.push_back({Hex2(c), true});
      ++i;
      continue;
    }
    if (IsInvisibleFormat(cp)) {
      out.push_back({Hex4(cp), true});
    } else {
      out.push_back({std::string(text.substr(i, len)), false});
    }
    i += len;
  }
  return out;
}

std::string VisibleText(std::string_view text, bool keep_newlines) {
  std::string out;
  for (const VisiblePiece& p : ToVisiblePieces(text, keep_newlines)) out += p.text;
  return out;
}

std::vector<FoldedRow> FoldVisible(std::string_view text, size_t width, bool styled) {
  if (width == 0) width = 1;
  std::vector<FoldedRow> rows(1);
  size_t columns = 0;
  for (const VisiblePiece& p : ToVisiblePieces(text, /*keep_newlines=*/true)) {
    if (p.text == "\n" && !p.escaped) {
      rows.push_back({});
      columns = 0;
      continue;
    }
    size_t w = p.escaped ? p.text.size() : 1;
    if (columns > 0 && columns + w > width) {
      rows.push_back({"", true});
      columns = 0;
    }
    rows.back().text += styled && p.escaped ? "\x1b[7m" + p.text + "\x1b[27m" : p.text;
    columns += w;
  }
  return rows;
}

}  // namespace brock
