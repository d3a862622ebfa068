#include "aws/eventstream.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "base/crypto.h"  // zlib's Crc32, used here as an independent oracle
#include "base/strings.h"

namespace brock {
namespace {

namespace fs = std::filesystem;

const fs::path kTestdata = fs::path(BROCK_SHARED_DIR) / "testdata" / "eventstream";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> CaseNames(const char* kind) {
  std::vector<std::string> names;
  fs::path dir = kTestdata / "encoded" / kind;
  if (!fs::is_directory(dir)) return names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

void AppendBig32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

uint32_t Big32(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(s[at + i]);
  return v;
}

// A frame with valid CRCs around raw (possibly malformed) header bytes, computed with zlib.
std::string RawFrame(std::string_view raw_headers, std::string_view payload) {
  std::string out;
  AppendBig32(&out, static_cast<uint32_t>(16 + raw_headers.size() + payload.size()));
  AppendBig32(&out, static_cast<uint32_t>(raw_headers.size()));
  AppendBig32(&out, Crc32(out));
  out += raw_headers;
  out += payload;
  AppendBig32(&out, Crc32(out));
  return out;
}

// A prelude with the given (possibly inconsistent) lengths and a valid prelude CRC.
std::string Prelude(uint32_t total_length, uint32_t headers_length) {
  std::string out;
  AppendBig32(&out, total_length);
  AppendBig32(&out, headers_length);
  AppendBig32(&out, Crc32(out));
  return out;
}

struct Outcome {
  std::vector<EventMessage> messages;
  Status status;
  bool mid_message = false;
};

// Feeds `bytes` to a fresh decoder in pieces whose sizes come from `split` (called with the
// remaining length; returns the size of the next piece).
Outcome Decode(std::string_view bytes, const std::function<size_t(size_t)>& split,
               size_t cap = EventStreamDecoder::kDefaultMaxMessageSize) {
  EventStreamDecoder decoder(cap);
  Outcome out;
  while (!bytes.empty()) {
    size_t n = std::min(bytes.size(), std::max<size_t>(1, split(bytes.size())));
    out.status = decoder.Feed(bytes.substr(0, n),
                              [&](EventMessage&& m) { out.messages.push_back(std::move(m)); });
    bytes.remove_prefix(n);
    if (!out.status.ok()) break;
  }
  out.mid_message = decoder.mid_message();
  return out;
}

size_t Whole(size_t remaining) { return remaining; }
size_t ByteByByte(size_t) { return 1; }

// The three ways every case is fed: whole, byte by byte, and in random splits (several seeds).
std::vector<std::pair<std::string, std::function<size_t(size_t)>>> Splitters() {
  std::vector<std::pair<std::string, std::function<size_t(size_t)>>> s;
  s.emplace_back("whole", Whole);
  s.emplace_back("byte-by-byte", ByteByByte);
  for (unsigned seed = 1; seed <= 20; ++seed) {
    auto rng = std::make_shared<std::mt19937>(seed);
    s.emplace_back("random split seed " + std::to_string(seed), [rng](size_t remaining) {
      return 1 + (*rng)() % std::min<size_t>(remaining, 40);
    });
  }
  return s;
}

void ExpectMatchesDescription(const EventMessage& m, const nlohmann::json& want) {
  std::string payload;
  ASSERT_TRUE(Base64Decode(want["payload"].get<std::string>(), &payload));
  EXPECT_EQ(m.payload, payload);
  ASSERT_EQ(m.headers.size(), want["headers"].size());
  for (size_t i = 0; i < m.headers.size(); ++i) {
    const auto& h = m.headers[i];
    const auto& w = want["headers"][i];
    SCOPED_TRACE("header " + w["name"].get<std::string>());
    EXPECT_EQ(h.name, w["name"].get<std::string>());
    EXPECT_EQ(static_cast<int>(h.type), w["type"].get<int>());
    switch (h.type) {
      case HeaderType::kBoolTrue:
      case HeaderType::kBoolFalse:
        EXPECT_EQ(h.int_value != 0, w["value"].get<bool>());
        EXPECT_EQ(h.type == HeaderType::kBoolTrue, w["value"].get<bool>());
        break;
      case HeaderType::kBytes:
      case HeaderType::kString:
      case HeaderType::kUuid: {
        std::string value;
        ASSERT_TRUE(Base64Decode(w["value"].get<std::string>(), &value));
        EXPECT_EQ(h.bytes_value, value);
        break;
      }
      default:
        EXPECT_EQ(h.int_value, w["value"].get<int64_t>());
    }
  }
}

TEST(EventStreamTestdata, PositiveCasesDecodeToTheirDescriptionHoweverSplit) {
  auto names = CaseNames("positive");
  if (names.empty()) GTEST_SKIP() << "no event-stream testdata under " << kTestdata;
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    std::string encoded = ReadFile(kTestdata / "encoded" / "positive" / name);
    auto want = nlohmann::json::parse(ReadFile(kTestdata / "decoded" / "positive" / name));
    // The description's framing numbers agree with the bytes.
    ASSERT_EQ(encoded.size(), want["total_length"].get<size_t>());
    EXPECT_EQ(Big32(encoded, 4), want["headers_length"].get<uint32_t>());
    EXPECT_EQ(Big32(encoded, 8), static_cast<uint32_t>(want["prelude_crc"].get<int64_t>()));
    EXPECT_EQ(Big32(encoded, encoded.size() - 4),
              static_cast<uint32_t>(want["message_crc"].get<int64_t>()));
    for (const auto& [how, split] : Splitters()) {
      SCOPED_TRACE(how);
      Outcome out = Decode(encoded, split);
      ASSERT_TRUE(out.status.ok()) << out.status.error().message;
      ASSERT_EQ(out.messages.size(), 1u);
      EXPECT_FALSE(out.mid_message);
      ExpectMatchesDescription(out.messages[0], want);
    }
    // Re-encoding the decoded message reproduces the reference bytes exactly.
    Outcome out = Decode(encoded, Whole);
    ASSERT_EQ(out.messages.size(), 1u);
    EXPECT_EQ(EncodeEventMessage(out.messages[0]), encoded);
  }
}

TEST(EventStreamTestdata, AllPositiveCasesBackToBackDecodeInOrder) {
  auto names = CaseNames("positive");
  if (names.empty()) GTEST_SKIP() << "no event-stream testdata under " << kTestdata;
  std::string stream;
  for (const auto& name : names) stream += ReadFile(kTestdata / "encoded" / "positive" / name);
  for (const auto& [how, split] : Splitters()) {
    SCOPED_TRACE(how);
    Outcome out = Decode(stream, split);
    ASSERT_TRUE(out.status.ok()) << out.status.error().message;
    ASSERT_EQ(out.messages.size(), names.size());
    for (size_t i = 0; i < names.size(); ++i) {
      SCOPED_TRACE(names[i]);
      ExpectMatchesDescription(
          out.messages[i],
          nlohmann::json::parse(ReadFile(kTestdata / "decoded" / "positive" / names[i])));
    }
  }
}

TEST(EventStreamTestdata, NegativeCasesAreRejectedHoweverSplit) {
  auto names = CaseNames("negative");
  if (names.empty()) GTEST_SKIP() << "no event-stream testdata under " << kTestdata;
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    std::string encoded = ReadFile(kTestdata / "encoded" / "negative" / name);
    std::string reason = ReadFile(kTestdata / "decoded" / "negative" / name);
    // The reference says which checksum catches it: "Prelude checksum mismatch" etc.
    std::string expect = reason.find("Prelude") != std::string::npos ? "prelude CRC mismatch"
                                                                     : "message CRC mismatch";
    for (const auto& [how, split] : Splitters()) {
      SCOPED_TRACE(how);
      Outcome out = Decode(encoded, split);
      ASSERT_FALSE(out.status.ok());
      EXPECT_TRUE(out.messages.empty());
      EXPECT_EQ(out.status.error().code, "eventstream.corrupt");
      EXPECT_NE(out.status.error().message.find(expect), std::string::npos)
          << out.status.error().message;
      EXPECT_FALSE(out.status.error().fix.empty());
    }
  }
}

TEST(EventStream, RoundTripsEveryHeaderType) {
  EventMessage m;
  auto add = [&](std::string name, HeaderType type, int64_t i, std::string b = {}) {
    EventHeader h;
    h.name = std::move(name);
    h.type = type;
    h.int_value = i;
    h.bytes_value = std::move(b);
    m.headers.push_back(std::move(h));
  };
  add("t", HeaderType::kBoolTrue, 1);
  add("f", HeaderType::kBoolFalse, 0);
  add("byte+", HeaderType::kByte, 127);
  add("byte-", HeaderType::kByte, -128);
  add("i16", HeaderType::kInt16, -12345);
  add("i16max", HeaderType::kInt16, 32767);
  add("i32", HeaderType::kInt32, std::numeric_limits<int32_t>::min());
  add("i32b", HeaderType::kInt32, 40972);
  add("i64", HeaderType::kInt64, std::numeric_limits<int64_t>::min());
  add("i64max", HeaderType::kInt64, std::numeric_limits<int64_t>::max());
  add("bytes", HeaderType::kBytes, 0, std::string("\0\x01\xff zero", 8));
  add("empty bytes", HeaderType::kBytes, 0, "");
  add(":event-type", HeaderType::kString, 0, "contentBlockDelta");
  add("long string", HeaderType::kString, 0, std::string(65535, 'x'));
  add("ts", HeaderType::kTimestamp, 0, "");
  m.headers.back().int_value = 1700000000123;
  add("uuid", HeaderType::kUuid, 0, "0123456789abcdef");
  add(std::string(255, 'n'), HeaderType::kString, 0, "longest name");
  m.payload = std::string("{\"bytes\":\"eyJ0eXBlIjoiY29udGVudF9ibG9ja19kZWx0YSJ9\"}\0tail", 58);

  std::string encoded = EncodeEventMessage(m);
  EXPECT_EQ(Big32(encoded, 0), encoded.size());
  EXPECT_EQ(Big32(encoded, 8), Crc32(std::string_view(encoded).substr(0, 8)));
  EXPECT_EQ(Big32(encoded, encoded.size() - 4),
            Crc32(std::string_view(encoded).substr(0, encoded.size() - 4)));
  for (const auto& [how, split] : Splitters()) {
    SCOPED_TRACE(how);
    Outcome out = Decode(encoded, split);
    ASSERT_TRUE(out.status.ok()) << out.status.error().message;
    ASSERT_EQ(out.messages.size(), 1u);
    const EventMessage& d = out.messages[0];
    EXPECT_EQ(d.payload, m.payload);
    ASSERT_EQ(d.headers.size(), m.headers.size());
    for (size_t i = 0; i < m.headers.size(); ++i) {
      SCOPED_TRACE(m.headers[i].name.substr(0, 20));
      EXPECT_EQ(d.headers[i].name, m.headers[i].name);
      EXPECT_EQ(d.headers[i].type, m.headers[i].type);
      EXPECT_EQ(d.headers[i].int_value, m.headers[i].int_value);
      EXPECT_EQ(d.headers[i].bytes_value, m.headers[i].bytes_value);
    }
    EXPECT_EQ(d.StringHeader(":event-type"), "contentBlockDelta");
    EXPECT_EQ(d.StringHeader("i32b"), "");  // not a string
    EXPECT_EQ(d.StringHeader("absent"), "");
    ASSERT_NE(d.Find("i32b"), nullptr);
    EXPECT_EQ(d.Find("i32b")->int_value, 40972);
    EXPECT_EQ(d.Find("absent"), nullptr);
  }
}

TEST(EventStream, EmptyMessageRoundTrips) {
  std::string encoded = EncodeEventMessage(EventMessage{});
  EXPECT_EQ(encoded.size(), 16u);
  Outcome out = Decode(encoded, Whole);
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.messages.size(), 1u);
  EXPECT_TRUE(out.messages[0].headers.empty());
  EXPECT_TRUE(out.messages[0].payload.empty());
}

TEST(EventStream, StringHeaderHelperBuildsAStringHeader) {
  EventHeader h = StringHeader(":message-type", "event");
  EXPECT_EQ(h.name, ":message-type");
  EXPECT_EQ(h.type, HeaderType::kString);
  EXPECT_EQ(h.bytes_value, "event");
}

TEST(EventStream, OversizeFrameIsRejectedFromItsPreludeAlone) {
  EventMessage big;
  big.payload.assign(2048, 'p');
  std::string encoded = EncodeEventMessage(big);
  EventStreamDecoder decoder(1024);
  int delivered = 0;
  // Only the prelude is fed: the decoder must refuse without waiting for (or buffering) the body.
  Status s =
      decoder.Feed(std::string_view(encoded).substr(0, 12), [&](EventMessage&&) { ++delivered; });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "eventstream.corrupt");
  EXPECT_NE(s.error().message.find("over the 1024-byte cap"), std::string::npos)
      << s.error().message;
  EXPECT_EQ(delivered, 0);

  // The default cap is 16 MiB.
  EventStreamDecoder default_cap;
  s = default_cap.Feed(Prelude(16 * 1024 * 1024 + 1, 0), [&](EventMessage&&) { ++delivered; });
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("over the 16777216-byte cap"), std::string::npos);
  EventStreamDecoder at_cap;
  EXPECT_TRUE(at_cap.Feed(Prelude(16 * 1024 * 1024, 0), [&](EventMessage&&) { ++delivered; }).ok());
  EXPECT_TRUE(at_cap.mid_message());
}

TEST(EventStream, TruncatedStreamIsDetectedByMidMessage) {
  std::string one = EncodeEventMessage(EventMessage{{StringHeader(":event-type", "chunk")}, "{}"});
  EventStreamDecoder decoder;
  EXPECT_FALSE(decoder.mid_message());
  std::vector<EventMessage> got;
  auto sink = [&](EventMessage&& m) { got.push_back(std::move(m)); };
  std::string stream = one + one;
  // Every cut point inside the second message leaves the decoder mid-message.
  for (size_t cut = one.size() + 1; cut < stream.size(); ++cut) {
    EventStreamDecoder d;
    got.clear();
    ASSERT_TRUE(d.Feed(std::string_view(stream).substr(0, cut), sink).ok());
    EXPECT_EQ(got.size(), 1u);
    EXPECT_TRUE(d.mid_message()) << cut;
    ASSERT_TRUE(d.Feed(std::string_view(stream).substr(cut), sink).ok());
    EXPECT_EQ(got.size(), 2u);
    EXPECT_FALSE(d.mid_message()) << cut;
  }
  ASSERT_TRUE(decoder.Feed(one, sink).ok());
  EXPECT_FALSE(decoder.mid_message());
  ASSERT_TRUE(decoder.Feed("", sink).ok());
  EXPECT_FALSE(decoder.mid_message());
}

// Corruptions that keep both CRCs valid, so only the structural checks can catch them.
TEST(EventStream, StructuralErrorsWithValidChecksumsAreNamed) {
  struct Case {
    std::string name;
    std::string bytes;
    std::string expect;
  };
  std::vector<Case> cases = {
      {"total below minimum", Prelude(15, 0) + std::string(4, '\0'), "out of range"},
      {"total zero", Prelude(0, 0), "out of range"},
      {"headers longer than message", Prelude(40, 30), "header length 30 does not fit"},
      {"headers over 128 KiB", Prelude(200000, 140000), "header length 140000 is over"},
      {"unknown header type",
       RawFrame(std::string("\x01"
                            "a"
                            "\x0c",
                            3),
                ""),
       "unknown type 12"},
      {"empty header name", RawFrame(std::string("\x00\x07\x00\x00", 4), ""), "empty name"},
      {"name past end",
       RawFrame(std::string("\x09"
                            "abc",
                            4),
                ""),
       "past the end"},
      {"missing type byte",
       RawFrame(std::string("\x03"
                            "abc",
                            4),
                ""),
       "past the end"},
      {"int32 value cut short",
       RawFrame(std::string("\x01"
                            "a"
                            "\x04\x00\x01",
                            5),
                "x"),
       "past the end"},
      {"string length cut short",
       RawFrame(std::string("\x01"
                            "a"
                            "\x07\x00",
                            4),
                ""),
       "past the end"},
      {"string value cut short",
       RawFrame(std::string("\x01"
                            "a"
                            "\x07\x00\x05"
                            "abc",
                            8),
                ""),
       "(5 bytes) runs past the end"},
      {"uuid cut short",
       RawFrame(std::string("\x01"
                            "u"
                            "\x09"
                            "0123456789",
                            13),
                ""),
       "past the end"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    for (const auto& [how, split] : Splitters()) {
      SCOPED_TRACE(how);
      Outcome out = Decode(c.bytes, split);
      ASSERT_FALSE(out.status.ok());
      EXPECT_EQ(out.status.error().code, "eventstream.corrupt");
      EXPECT_NE(out.status.error().message.find(c.expect), std::string::npos)
          << out.status.error().message;
      EXPECT_TRUE(out.messages.empty());
    }
  }
}

TEST(EventStream, FailureIsStickyAndNamesTheOffset) {
  std::string good = EncodeEventMessage(EventMessage{{StringHeader("k", "v")}, "payload"});
  std::string bad = good;
  bad[bad.size() - 6] ^= 0x20;  // flip a payload bit: message CRC mismatch
  EventStreamDecoder decoder;
  int delivered = 0;
  auto sink = [&](EventMessage&&) { ++delivered; };
  Status s = decoder.Feed(good + bad + good, sink);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(delivered, 1);  // the message before the bad one was delivered
  EXPECT_NE(s.error().message.find("message CRC mismatch"), std::string::npos);
  EXPECT_NE(s.error().message.find("offset " + std::to_string(good.size())), std::string::npos)
      << s.error().message;
  EXPECT_FALSE(decoder.mid_message());
  Status again = decoder.Feed(good, sink);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, s.error().message);
  EXPECT_EQ(delivered, 1);
}

TEST(EventStream, EveryFlippedBitIsCaught) {
  std::string good = EncodeEventMessage(
      EventMessage{{StringHeader(":event-type", "chunk"), StringHeader(":message-type", "event")},
                   "{\"bytes\":\"e30=\"}"});
  for (size_t bit = 0; bit < good.size() * 8; ++bit) {
    std::string bad = good;
    bad[bit / 8] ^= static_cast<char>(1 << (bit % 8));
    Outcome out = Decode(bad, Whole);
    if (out.status.ok()) {
      // A flip in the length field could only "succeed" by leaving an incomplete message.
      EXPECT_TRUE(out.messages.empty()) << "bit " << bit;
      EXPECT_TRUE(out.mid_message) << "bit " << bit;
    } else {
      EXPECT_EQ(out.status.error().code, "eventstream.corrupt");
    }
  }
}

TEST(EventStream, LargePayloadsSurviveRandomSplits) {
  std::mt19937 rng(4242);
  for (size_t size : {size_t{1}, size_t{65536}, size_t{1 << 20}}) {
    EventMessage m{{StringHeader(":event-type", "chunk")}, std::string(size, '\0')};
    for (auto& ch : m.payload) ch = static_cast<char>(rng());
    std::string stream = EncodeEventMessage(m) + EncodeEventMessage(m);
    Outcome out = Decode(stream, [&](size_t remaining) { return 1 + rng() % 70000; });
    ASSERT_TRUE(out.status.ok()) << out.status.error().message;
    ASSERT_EQ(out.messages.size(), 2u);
    EXPECT_EQ(out.messages[0].payload, m.payload);
    EXPECT_EQ(out.messages[1].payload, m.payload);
  }
}

}  // namespace
}  // namespace brock
