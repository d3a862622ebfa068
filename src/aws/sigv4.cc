// The low-level SHA256_* functions are deprecated in OpenSSL 3 but are the only interface without
// a per-call algorithm fetch; SigV4 hashes a handful of short strings per request, so it matters.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "aws/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <ctime>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/uri.h"
#include "base/strings.h"

namespace brock {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr char kHexDigits[] = "0123456789abcdef";

using Digest = std::array<unsigned char, 32>;

// ---- hashing --------------------------------------------------------------------------------

Digest Sha256Of(std::string_view data) {
  Digest out;
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data.data(), data.size());
  SHA256_Final(out.data(), &ctx);
  return out;
}

void AppendHex(std::string& out, const Digest& d) {
  char buf[64];
  for (size_t i = 0; i < 32; ++i) {
    buf[2 * i] = kHexDigits[d[i] >> 4];
    buf[2 * i + 1] = kHexDigits[d[i] & 15];
  }
  out.append(buf, 64);
}

std::string Hex(const Digest& d) {
  std::string out;
  out.reserve(64);
  AppendHex(out, d);
  return out;
}

// An HMAC-SHA256 key with its inner and outer pad states absorbed, so each MAC costs only the
// data's compressions plus two.
struct HmacKey {
  SHA256_CTX inner, outer;

  explicit HmacKey(std::string_view key) {
    unsigned char block[64] = {0};
    if (key.size() > 64) {
      Digest d = Sha256Of(key);
      std::memcpy(block, d.data(), d.size());
    } else {
      std::memcpy(block, key.data(), key.size());
    }
    unsigned char pad[64];
    for (int i = 0; i < 64; ++i) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&inner);
    SHA256_Update(&inner, pad, 64);
    for (int i = 0; i < 64; ++i) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&outer);
    SHA256_Update(&outer, pad, 64);
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(pad, sizeof pad);
  }
  ~HmacKey() {
    OPENSSL_cleanse(&inner, sizeof inner);
    OPENSSL_cleanse(&outer, sizeof outer);
  }

  Digest Mac(std::string_view data) const {
    Digest ih, out;
    SHA256_CTX c = inner;
    SHA256_Update(&c, data.data(), data.size());
    SHA256_Final(ih.data(), &c);
    c = outer;
    SHA256_Update(&c, ih.data(), ih.size());
    SHA256_Final(out.data(), &c);
    OPENSSL_cleanse(&c, sizeof c);
    return out;
  }
};

std::string_view AsView(const Digest& d) {
  return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
}

// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"),
// cached per thread: a process signs for one or two (secret, date, region, service) at a time.
struct SigningKeyCache {
  struct Entry {
    std::string id;  // secret '\0' date '\0' region '\0' service
    std::optional<HmacKey> key;
  };
  std::array<Entry, 4> entries;
  size_t next = 0;

  ~SigningKeyCache() {
    for (auto& e : entries) OPENSSL_cleanse(e.id.data(), e.id.size());
  }

  const HmacKey& Get(std::string_view secret, std::string_view date, std::string_view region,
                     std::string_view service) {
    size_t n = secret.size() + date.size() + region.size() + service.size() + 3;
    for (auto& e : entries) {
      if (e.id.size() != n || !e.key) continue;
      std::string_view id = e.id;
      if (id.substr(0, secret.size()) != secret) continue;
      id.remove_prefix(secret.size());
      if (id[0] != '\0' || id.substr(1, date.size()) != date) continue;
      id.remove_prefix(1 + date.size());
      if (id[0] != '\0' || id.substr(1, region.size()) != region) continue;
      id.remove_prefix(1 + region.size());
      if (id[0] != '\0' || id.substr(1) != service) continue;
      return *e.key;
    }
    std::string k = "AWS4";
    k.append(secret);
    Digest d = HmacKey(k).Mac(date);
    OPENSSL_cleanse(k.data(), k.size());
    d = HmacKey(AsView(d)).Mac(region);
    d = HmacKey(AsView(d)).Mac(service);
    d = HmacKey(AsView(d)).Mac("aws4_request");
    Entry& e = entries[next];
    next = (next + 1) % entries.size();
    OPENSSL_cleanse(e.id.data(), e.id.size());
    e.id.clear();
    e.id.append(secret).push_back('\0');
    e.id.append(date).push_back('\0');
    e.id.append(region).push_back('\0');
    e.id.append(service);
    e.key.emplace(AsView(d));
    OPENSSL_cleanse(d.data(), d.size());
    return *e.key;
  }
};

const HmacKey& SigningKey(std::string_view secret, std::string_view date, std::string_view region,
                          std::string_view service) {
  thread_local SigningKeyCache cache;
  return cache.Get(secret, date, region, service);
}

// ---- URL pieces -------------------------------------------------------------------------------

// The parts of an absolute URL SigV4 needs; lenient (never fails).
struct UrlParts {
  std::string_view authority;  // host[:port] as written
  std::string_view path;       // raw, may be empty
  std::string_view query;      // raw, without '?'
  bool has_query = false;
};

UrlParts SplitUrl(std::string_view url) {
  UrlParts p;
  size_t s = url.find("://");
  std::string_view rest = s == std::string_view::npos ? url : url.substr(s + 3);
  size_t a = rest.find_first_of("/?#");
  p.authority = rest.substr(0, a);
  rest = a == std::string_view::npos ? std::string_view() : rest.substr(a);
  if (size_t h = rest.find('#'); h != std::string_view::npos) rest = rest.substr(0, h);
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    p.query = rest.substr(q + 1);
    p.has_query = true;
    rest = rest.substr(0, q);
  }
  p.path = rest;
  return p;
}

// The Host header for a URL: the authority without a default port, lowercased.
std::string HostFromUrl(std::string_view url) {
  auto parsed = ParseUrl(url);
  if (parsed.ok()) return parsed->HostHeader();
  return ToLower(SplitUrl(url).authority);
}

// Removes dot segments and empty segments; keeps a trailing '/'. Always starts with '/'.
void AppendNormalizedPath(std::string& out, std::string_view path) {
  std::vector<std::string_view> segments;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
    i = j + 1;
  }
  out.push_back('/');
  for (size_t k = 0; k < segments.size(); ++k) {
    if (k > 0) out.push_back('/');
    out.append(segments[k]);
  }
  if (!path.empty() && path.back() == '/' && out.back() != '/') out.push_back('/');
}

void AppendCanonicalPath(std::string& out, std::string_view raw_path, const SigV4Params& p) {
  if (raw_path.empty()) raw_path = "/";
  std::string normalized;
  std::string_view path = raw_path;
  if (p.normalize_path) {
    normalized.reserve(raw_path.size() + 1);
    AppendNormalizedPath(normalized, raw_path);
    path = normalized;
  }
  if (p.double_encode_path) {
    AppendUriEncoded(out, path, /*encode_slash=*/false);
  } else {
    out.append(path);
  }
}

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

// Adds the raw query's pairs, decoded and re-encoded. Pairs whose decoded key is `skip_key` are
// left out.
void AddQueryPairs(QueryPairs& pairs, std::string_view query, std::string_view skip_key = {}) {
  size_t i = 0;
  while (i <= query.size() && !query.empty()) {
    size_t j = query.find('&', i);
    if (j == std::string_view::npos) j = query.size();
    std::string_view piece = query.substr(i, j - i);
    if (!piece.empty()) {
      size_t eq = piece.find('=');
      std::string_view k = piece.substr(0, eq);
      std::string_view v = eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
      bool plain_k = k.find('%') == std::string_view::npos;
      bool plain_v = v.find('%') == std::string_view::npos;
      std::string dk = plain_k ? std::string(k) : UriDecode(k);
      if (skip_key.empty() || dk != skip_key) {
        pairs.emplace_back(UriEncode(dk, true),
                           UriEncode(plain_v ? std::string(v) : UriDecode(v), true));
      }
    }
    i = j + 1;
  }
}

void AppendCanonicalQuery(std::string& out, QueryPairs& pairs) {
  std::sort(pairs.begin(), pairs.end());
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0) out.push_back('&');
    out.append(pairs[i].first).push_back('=');
    out.append(pairs[i].second);
  }
}

// ---- headers ----------------------------------------------------------------------------------

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

bool IsUnsignedHeader(std::string_view lower_name) {
  return lower_name == "user-agent" || lower_name == "expect" ||
         lower_name == "transfer-encoding" || lower_name == "x-amzn-trace-id" ||
         lower_name == "authorization";
}

constexpr std::array<bool, 256> kSpaceTable = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : {' ', '\t', '\r', '\n', '\v', '\f'}) t[c] = true;
  return t;
}();

bool IsSpace(char c) { return kSpaceTable[static_cast<unsigned char>(c)]; }

// Trims and collapses whitespace runs to one space, appending runs of other bytes in one go
// (header values such as session tokens are long).
void AppendCanonicalValue(std::string& out, std::string_view v) {
  size_t b = 0, e = v.size();
  while (b < e && IsSpace(v[b])) ++b;
  while (e > b && IsSpace(v[e - 1])) --e;
  out.reserve(out.size() + (e - b));
  size_t i = b;
  while (i < e) {
    size_t run = i;
    while (run < e && !IsSpace(v[run])) ++run;
    out.append(v.data() + i, run - i);
    if (run == e) break;
    out.push_back(' ');
    while (run < e && IsSpace(v[run])) ++run;
    i = run;
  }
}

struct CanonicalHeader {
  std::string name;   // lowercase
  std::string value;  // canonical; repeated headers joined with ','
};

// The canonical (lowercased, merged, sorted) form of `headers`; `accept` filters by lowercase
// name.
template <class Accept>
std::vector<CanonicalHeader> CanonicalHeaders(const HttpHeaders& headers, Accept accept) {
  std::vector<CanonicalHeader> out;
  out.reserve(headers.size() + 1);
  std::string lower;
  for (const auto& [name, value] : headers) {
    lower.assign(name);
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    if (!accept(lower)) continue;
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const CanonicalHeader& h) { return h.name == lower; });
    if (it == out.end()) {
      out.push_back({lower, {}});
      it = out.end() - 1;
    } else {
      it->value.push_back(',');
    }
    AppendCanonicalValue(it->value, value);
  }
  std::stable_sort(out.begin(), out.end(), [](const CanonicalHeader& a, const CanonicalHeader& b) {
    return a.name < b.name;
  });
  return out;
}

void AppendHeaderBlock(std::string& out, const std::vector<CanonicalHeader>& headers) {
  for (const auto& h : headers) {
    out.append(h.name).push_back(':');
    out.append(h.value).push_back('\n');
  }
}

std::string SignedHeaderList(const std::vector<CanonicalHeader>& headers) {
  std::string out;
  for (size_t i = 0; i < headers.size(); ++i) {
    if (i > 0) out.push_back(';');
    out.append(headers[i].name);
  }
  return out;
}

void RemoveHeader(HttpHeaders& headers, std::string_view name) {
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const auto& h) { return EqualsIgnoreCase(h.first, name); }),
                headers.end());
}

bool HasHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (EqualsIgnoreCase(h.first, name)) return true;
  }
  return false;
}

// ---- the signature ----------------------------------------------------------------------------

std::string Scope(std::string_view date8, const SigV4Params& p) {
  std::string s;
  s.reserve(date8.size() + p.region.size() + p.service.size() + 16);
  s.append(date8).push_back('/');
  s.append(p.region).push_back('/');
  s.append(p.service).append("/aws4_request");
  return s;
}

// Fills trace.string_to_sign and trace.signature from trace.canonical_request.
void Sign(SigV4Trace& trace, std::string_view amz_date, const std::string& scope,
          std::string_view secret, const SigV4Params& p) {
  std::string& sts = trace.string_to_sign;
  sts.reserve(kAlgorithm.size() + amz_date.size() + scope.size() + 67);
  sts.append(kAlgorithm).push_back('\n');
  sts.append(amz_date).push_back('\n');
  sts.append(scope).push_back('\n');
  AppendHex(sts, Sha256Of(trace.canonical_request));
  const HmacKey& key = SigningKey(secret, amz_date.substr(0, 8), p.region, p.service);
  trace.signature = Hex(key.Mac(sts));
}

std::string CanonicalRequestPrefix(std::string_view method, std::string_view path,
                                   const SigV4Params& p, size_t extra) {
  std::string cr;
  cr.reserve(method.size() + path.size() * 2 + extra + 256);
  cr.append(method).push_back('\n');
  AppendCanonicalPath(cr, path, p);
  cr.push_back('\n');
  return cr;
}

}  // namespace

std::string FormatAmzDate(Clock::time_point time) {
  std::time_t t = Clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  auto put = [&](int pos, int width, int value) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
      buf[pos + i] = static_cast<char>('0' + value % 10);
  };
  put(0, 4, (tm.tm_year + 1900) % 10000);
  put(4, 2, tm.tm_mon + 1);
  put(6, 2, tm.tm_mday);
  buf[8] = 'T';
  put(9, 2, tm.tm_hour);
  put(11, 2, tm.tm_min);
  put(13, 2, tm.tm_sec);
  buf[15] = 'Z';
  return std::string(buf, 16);
}

std::optional<Clock::time_point> ParseAmzDate(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  auto num = [&](size_t pos, size_t len, int* out) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  std::tm tm{};
  int y, mo, d, h, mi, se;
  if (!num(0, 4, &y) || !num(4, 2, &mo) || !num(6, 2, &d) || !num(9, 2, &h) || !num(11, 2, &mi) ||
      !num(13, 2, &se)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  return Clock::from_time_t(timegm(&tm));
}

SigV4Trace SignRequest(HttpRequest& request, const Credentials& creds, const SigV4Params& params) {
  HttpHeaders& headers = request.headers;
  headers.reserve(headers.size() + 5);
  RemoveHeader(headers, "authorization");
  RemoveHeader(headers, "x-amz-date");
  RemoveHeader(headers, "x-amz-security-token");  // also a stale one when the new creds have none
  if (params.add_content_sha256_header) RemoveHeader(headers, "x-amz-content-sha256");
  if (!HasHeader(headers, "host")) headers.emplace_back("Host", HostFromUrl(request.url));

  std::string amz_date = FormatAmzDate(params.time);
  if (!creds.session_token.empty())
    headers.emplace_back("X-Amz-Security-Token", creds.session_token);
  headers.emplace_back("X-Amz-Date", amz_date);
  std::string payload_hash = Hex(Sha256Of(request.body));
  if (params.add_content_sha256_header) headers.emplace_back("x-amz-content-sha256", payload_hash);

  bool skip_token = !params.sign_session_token;
  auto canonical = CanonicalHeaders(headers, [&](const std::string& lower) {
    return !IsUnsignedHeader(lower) && !(skip_token && lower == "x-amz-security-token");
  });
  std::string signed_headers = SignedHeaderList(canonical);

  UrlParts url = SplitUrl(request.url);
  SigV4Trace trace;
  std::string& cr = trace.canonical_request;
  cr = CanonicalRequestPrefix(request.method, url.path, params,
                              url.query.size() + signed_headers.size() * 3);
  if (!url.query.empty()) {
    QueryPairs pairs;
    AddQueryPairs(pairs, url.query);
    AppendCanonicalQuery(cr, pairs);
  }
  cr.push_back('\n');
  AppendHeaderBlock(cr, canonical);
  cr.push_back('\n');
  cr.append(signed_headers).push_back('\n');
  cr.append(payload_hash);

  std::string scope = Scope(std::string_view(amz_date).substr(0, 8), params);
  Sign(trace, amz_date, scope, creds.secret_access_key, params);

  std::string auth;
  auth.reserve(kAlgorithm.size() + creds.access_key_id.size() + scope.size() +
               signed_headers.size() + 110);
  auth.append(kAlgorithm).append(" Credential=").append(creds.access_key_id).push_back('/');
  auth.append(scope).append(", SignedHeaders=").append(signed_headers).append(", Signature=");
  auth.append(trace.signature);
  headers.emplace_back("Authorization", std::move(auth));
  return trace;
}

SigV4Trace PresignRequest(HttpRequest& request, const Credentials& creds, const SigV4Params& params,
                          std::chrono::seconds expires) {
  bool has_host = HasHeader(request.headers, "host");
  HttpHeaders extra;
  if (!has_host) extra.emplace_back("host", HostFromUrl(request.url));
  HttpHeaders all = request.headers;
  all.insert(all.end(), extra.begin(), extra.end());
  auto canonical =
      CanonicalHeaders(all, [](const std::string& lower) { return !IsUnsignedHeader(lower); });
  std::string signed_headers = SignedHeaderList(canonical);

  std::string amz_date = FormatAmzDate(params.time);
  std::string scope = Scope(std::string_view(amz_date).substr(0, 8), params);
  std::vector<std::pair<std::string, std::string>> added = {
      {"X-Amz-Algorithm", std::string(kAlgorithm)},
      {"X-Amz-Credential", creds.access_key_id + "/" + scope},
      {"X-Amz-Date", amz_date},
      {"X-Amz-SignedHeaders", signed_headers},
      {"X-Amz-Expires", std::to_string(expires.count())},
  };
  bool has_token = !creds.session_token.empty();
  if (has_token) added.emplace_back("X-Amz-Security-Token", creds.session_token);

  UrlParts url = SplitUrl(request.url);
  QueryPairs pairs;
  AddQueryPairs(pairs, url.query);
  for (const auto& [k, v] : added) {
    if (k == "X-Amz-Security-Token" && !params.sign_session_token) continue;
    pairs.emplace_back(UriEncode(k, true), UriEncode(v, true));
  }

  SigV4Trace trace;
  std::string& cr = trace.canonical_request;
  cr = CanonicalRequestPrefix(request.method, url.path, params, 512);
  AppendCanonicalQuery(cr, pairs);
  cr.push_back('\n');
  AppendHeaderBlock(cr, canonical);
  cr.push_back('\n');
  cr.append(signed_headers).push_back('\n');
  AppendHex(cr, Sha256Of(request.body));

  Sign(trace, amz_date, scope, creds.secret_access_key, params);

  // Rebuild the URL: everything before '?', the original query, then the added parameters.
  std::string_view base = request.url;
  if (size_t h = base.find('#'); h != std::string_view::npos) base = base.substr(0, h);
  if (size_t q = base.find('?'); q != std::string_view::npos) base = base.substr(0, q);
  std::string out(base);
  out.push_back('?');
  if (!url.query.empty()) out.append(url.query).push_back('&');
  for (const auto& [k, v] : added) {
    out.append(k).push_back('=');
    AppendUriEncoded(out, v, true);
    out.push_back('&');
  }
  out.append("X-Amz-Signature=").append(trace.signature);
  request.url = std::move(out);
  return trace;
}

namespace {

SigV4Verification Fail(SigV4Verification v, std::string type, std::string message) {
  v.ok = false;
  v.error_type = std::move(type);
  v.message = std::move(message);
  return v;
}

constexpr std::string_view kSignatureMismatch =
    "The request signature we calculated does not match the signature you provided. Check your AWS "
    "Secret Access Key and signing method. Consult the service documentation for details.";

std::string FormatMinutes(std::chrono::seconds s) {
  auto m = std::chrono::duration_cast<std::chrono::minutes>(s).count();
  if (std::chrono::seconds(std::chrono::minutes(m)) == s) return std::to_string(m) + " min.";
  return std::to_string(s.count()) + " sec.";
}

}  // namespace

SigV4Verification VerifySigV4(const HttpRequest& received, const SecretLookup& lookup,
                              Clock::time_point now, std::chrono::seconds max_skew) {
  SigV4Verification v;
  const std::string incomplete = "IncompleteSignatureException";
  const std::string invalid = "InvalidSignatureException";

  std::string auth = FindHeader(received.headers, "authorization");
  if (Trim(auth).empty()) return Fail(v, incomplete, "Missing Authentication Token");
  std::string_view a = Trim(auth);
  if (!StartsWith(a, kAlgorithm) || a.size() == kAlgorithm.size() ||
      !IsSpace(a[kAlgorithm.size()])) {
    return Fail(
        v, incomplete,
        "Authorization header requires 'Credential' parameter. Authorization header requires "
        "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
        "Unsupported authorization type. Authorization=" +
            auth);
  }
  std::string credential, signed_headers_text, signature;
  bool has_credential = false, has_signed = false, has_signature = false;
  for (const std::string& part : Split(a.substr(kAlgorithm.size()), ',')) {
    std::string_view p = Trim(part);
    size_t eq = p.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view k = Trim(p.substr(0, eq)), val = Trim(p.substr(eq + 1));
    if (k == "Credential") credential = std::string(val), has_credential = true;
    if (k == "SignedHeaders") signed_headers_text = std::string(val), has_signed = true;
    if (k == "Signature") signature = std::string(val), has_signature = true;
  }
  std::string missing;
  if (!has_credential) missing += "Authorization header requires 'Credential' parameter. ";
  if (!has_signature) missing += "Authorization header requires 'Signature' parameter. ";
  if (!has_signed) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  std::string amz_date = std::string(Trim(FindHeader(received.headers, "x-amz-date")));
  if (amz_date.empty()) {
    missing +=
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (!missing.empty()) return Fail(v, incomplete, missing + "Authorization=" + auth);

  std::vector<std::string> scope = Split(credential, '/');
  if (scope.size() != 5 || scope[0].empty() || scope[1].size() != 8 || scope[2].empty() ||
      scope[3].empty() || scope[4] != "aws4_request") {
    return Fail(v, incomplete,
                "Credential should be scoped to a valid region, service and terminated with "
                "'aws4_request'. Credential=" +
                    credential);
  }
  v.access_key_id = scope[0];
  v.region = scope[2];
  v.service = scope[3];
  v.session_token = std::string(Trim(FindHeader(received.headers, "x-amz-security-token")));

  std::optional<Clock::time_point> when = ParseAmzDate(amz_date);
  if (!when) {
    return Fail(v, incomplete,
                "Date must be in ISO-8601 'basic format'. Got '" + amz_date +
                    "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  if (scope[1] != amz_date.substr(0, 8)) {
    return Fail(v, invalid,
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                "from HTTP: '" +
                    scope[1] + "' != '" + amz_date.substr(0, 8) + "', from '" + amz_date + "'.");
  }

  std::optional<std::string> secret = lookup ? lookup(v.access_key_id) : std::nullopt;
  if (!secret) {
    return Fail(v, "UnrecognizedClientException",
                "The security token included in the request is invalid.");
  }

  if (*when + max_skew < now) {
    return Fail(v, invalid,
                "Signature expired: " + amz_date + " is now earlier than " +
                    FormatAmzDate(now - max_skew) + " (" + FormatAmzDate(now) + " - " +
                    FormatMinutes(max_skew) + ")");
  }
  if (*when - max_skew > now) {
    return Fail(v, invalid,
                "Signature not yet current: " + amz_date + " is still later than " +
                    FormatAmzDate(now + max_skew) + " (" + FormatAmzDate(now) + " + " +
                    FormatMinutes(max_skew) + ")");
  }

  std::vector<std::string> signed_names = Split(signed_headers_text, ';');
  for (auto& n : signed_names) n = ToLower(n);
  if (std::find(signed_names.begin(), signed_names.end(), "host") == signed_names.end()) {
    return Fail(v, invalid,
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  std::string payload_hash = Hex(Sha256Of(received.body));
  std::string claimed_hash =
      std::string(Trim(FindHeader(received.headers, "x-amz-content-sha256")));
  if (!claimed_hash.empty() && claimed_hash != payload_hash) {
    return Fail(v, invalid,
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  auto canonical = CanonicalHeaders(received.headers, [&](const std::string& lower) {
    return std::find(signed_names.begin(), signed_names.end(), lower) != signed_names.end();
  });
  // A signed header that was not received still takes part (with an empty value), so the
  // signature cannot match.
  for (const auto& n : signed_names) {
    if (std::none_of(canonical.begin(), canonical.end(),
                     [&](const auto& h) { return h.name == n; })) {
      canonical.push_back({n, {}});
    }
  }
  std::stable_sort(
      canonical.begin(), canonical.end(),
      [](const CanonicalHeader& x, const CanonicalHeader& y) { return x.name < y.name; });

  SigV4Params params;
  params.region = v.region;
  params.service = v.service;
  params.time = *when;
  UrlParts url = SplitUrl(received.url);
  SigV4Trace trace;
  std::string& cr = trace.canonical_request;
  cr = CanonicalRequestPrefix(received.method, url.path, params, url.query.size() + 256);
  QueryPairs pairs;
  AddQueryPairs(pairs, url.query);
  AppendCanonicalQuery(cr, pairs);
  cr.push_back('\n');
  AppendHeaderBlock(cr, canonical);
  cr.push_back('\n');
  cr.append(signed_headers_text).push_back('\n');
  cr.append(payload_hash);
  std::string scope_text = Scope(scope[1], params);
  Sign(trace, amz_date, scope_text, *secret, params);

  if (trace.signature.size() != signature.size() ||
      CRYPTO_memcmp(trace.signature.data(), signature.data(), signature.size()) != 0) {
    return Fail(v, invalid, std::string(kSignatureMismatch));
  }
  v.ok = true;
  return v;
}

}  // namespace brock
