#include "aws/eventstream.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "base/crc32.h"

namespace brock {
namespace {

constexpr size_t kPreludeLength = 12;
constexpr size_t kMessageCrcLength = 4;
constexpr size_t kMinMessageLength = kPreludeLength + kMessageCrcLength;

uint32_t ReadBig32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint32_t>(u[0]) << 24 | static_cast<uint32_t>(u[1]) << 16 |
         static_cast<uint32_t>(u[2]) << 8 | static_cast<uint32_t>(u[3]);
}

uint64_t ReadBigN(const char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = v << 8 | static_cast<unsigned char>(p[i]);
  return v;
}

void AppendBigN(std::string* out, uint64_t v, size_t n) {
  for (size_t i = n; i > 0; --i) out->push_back(static_cast<char>((v >> (8 * (i - 1))) & 0xFF));
}

std::string Hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// Width in bytes of a fixed-size header value, or -1 for variable-length (bytes/string) and
// unknown types, 0 for booleans.
int FixedWidth(HeaderType type) {
  switch (type) {
    case HeaderType::kBoolTrue:
    case HeaderType::kBoolFalse:
      return 0;
    case HeaderType::kByte:
      return 1;
    case HeaderType::kInt16:
      return 2;
    case HeaderType::kInt32:
      return 4;
    case HeaderType::kInt64:
    case HeaderType::kTimestamp:
      return 8;
    case HeaderType::kUuid:
      return 16;
    case HeaderType::kBytes:
    case HeaderType::kString:
      return -1;
  }
  return -1;
}

// Sign-extends the low `bytes` bytes of v.
int64_t SignExtend(uint64_t v, size_t bytes) {
  if (bytes >= 8) return static_cast<int64_t>(v);
  unsigned shift = static_cast<unsigned>(64 - 8 * bytes);
  return static_cast<int64_t>(v << shift) >> shift;
}

// Decodes a headers section. On failure returns false and sets *what.
bool DecodeHeaders(std::string_view data, std::vector<EventHeader>* out, std::string* what) {
  if (!data.empty()) out->reserve(4);  // typical Bedrock events carry three headers
  size_t pos = 0;
  size_t index = 0;
  auto describe = [&](const std::string& name) {
    return "header " + std::to_string(index + 1) + (name.empty() ? "" : " (\"" + name + "\")");
  };
  while (pos < data.size()) {
    EventHeader h;
    size_t name_length = static_cast<unsigned char>(data[pos++]);
    if (name_length == 0) {
      *what = describe("") + " has an empty name";
      return false;
    }
    if (data.size() - pos < name_length + 1) {
      *what = describe("") + " runs past the end of the headers section";
      return false;
    }
    h.name.assign(data.data() + pos, name_length);
    pos += name_length;
    uint8_t type_code = static_cast<unsigned char>(data[pos++]);
    if (type_code > static_cast<uint8_t>(HeaderType::kUuid)) {
      *what = describe(h.name) + " has unknown type " + std::to_string(type_code);
      return false;
    }
    h.type = static_cast<HeaderType>(type_code);
    int width = FixedWidth(h.type);
    if (width >= 0) {
      if (data.size() - pos < static_cast<size_t>(width)) {
        *what = describe(h.name) + " value runs past the end of the headers section";
        return false;
      }
      switch (h.type) {
        case HeaderType::kBoolTrue:
          h.int_value = 1;
          break;
        case HeaderType::kBoolFalse:
          h.int_value = 0;
          break;
        case HeaderType::kUuid:
          h.bytes_value.assign(data.data() + pos, 16);
          break;
        default:
          h.int_value = SignExtend(ReadBigN(data.data() + pos, width), width);
          break;
      }
      pos += width;
    } else {
      if (data.size() - pos < 2) {
        *what = describe(h.name) + " value length runs past the end of the headers section";
        return false;
      }
      size_t length = ReadBigN(data.data() + pos, 2);
      pos += 2;
      if (data.size() - pos < length) {
        *what = describe(h.name) + " value (" + std::to_string(length) +
                " bytes) runs past the end of the headers section";
        return false;
      }
      h.bytes_value.assign(data.data() + pos, length);
      pos += length;
    }
    out->push_back(std::move(h));
    ++index;
  }
  return true;
}

}  // namespace

EventHeader StringHeader(std::string name, std::string value) {
  EventHeader h;
  h.name = std::move(name);
  h.type = HeaderType::kString;
  h.bytes_value = std::move(value);
  return h;
}

const EventHeader* EventMessage::Find(std::string_view name) const {
  for (const auto& h : headers) {
    if (h.name == name) return &h;
  }
  return nullptr;
}

std::string EventMessage::StringHeader(std::string_view name) const {
  const EventHeader* h = Find(name);
  if (h == nullptr || h->type != HeaderType::kString) return "";
  return h->bytes_value;
}

std::string EncodeEventMessage(const EventMessage& message) {
  std::string headers;
  for (const auto& h : message.headers) {
    size_t name_length = std::min<size_t>(h.name.size(), 255);
    headers.push_back(static_cast<char>(name_length));
    headers.append(h.name.data(), name_length);
    headers.push_back(static_cast<char>(h.type));
    int width = FixedWidth(h.type);
    if (h.type == HeaderType::kUuid) {
      std::string uuid = h.bytes_value.substr(0, 16);
      uuid.resize(16, '\0');
      headers += uuid;
    } else if (width > 0) {
      AppendBigN(&headers, static_cast<uint64_t>(h.int_value), width);
    } else if (width < 0) {
      size_t length = std::min<size_t>(h.bytes_value.size(), 65535);
      AppendBigN(&headers, length, 2);
      headers.append(h.bytes_value.data(), length);
    }
  }
  size_t total = kMinMessageLength + headers.size() + message.payload.size();
  std::string out;
  out.reserve(total);
  AppendBigN(&out, total, 4);
  AppendBigN(&out, headers.size(), 4);
  AppendBigN(&out, ExtendCrc32(0, out.data(), 8), 4);
  out += headers;
  out += message.payload;
  AppendBigN(&out, ExtendCrc32(0, out), 4);
  return out;
}

EventStreamDecoder::EventStreamDecoder(size_t max_message_size)
    : max_message_size_(max_message_size) {}

bool EventStreamDecoder::mid_message() const {
  if (state_ == State::kFailed) return false;
  return state_ != State::kPrelude || prelude_have_ > 0;
}

Status EventStreamDecoder::Fail(std::string what) {
  state_ = State::kFailed;
  error_ = MakeError("eventstream.corrupt",
                     "event stream " + what + " (message at stream offset " +
                         std::to_string(message_offset_) + ")",
                     "The response stream was damaged or is not an AWS event stream; retry the "
                     "request. If it keeps happening, check any proxy between brock and the AWS "
                     "endpoint (HTTPS_PROXY, ANTHROPIC_BEDROCK_BASE_URL).");
  return error_;
}

Status EventStreamDecoder::StartMessage() {
  total_length_ = ReadBig32(prelude_);
  headers_length_ = ReadBig32(prelude_ + 4);
  uint32_t expected = ReadBig32(prelude_ + 8);
  uint32_t actual = ExtendCrc32(0, prelude_, 8);
  if (expected != actual) {
    return Fail("prelude CRC mismatch (prelude says " + Hex32(expected) + ", bytes give " +
                Hex32(actual) + ")");
  }
  if (total_length_ < kMinMessageLength) {
    return Fail("message length " + std::to_string(total_length_) +
                " is out of range (the minimum is 16 bytes)");
  }
  if (total_length_ > max_message_size_) {
    return Fail("message length " + std::to_string(total_length_) + " is over the " +
                std::to_string(max_message_size_) + "-byte cap");
  }
  if (headers_length_ > total_length_ - kMinMessageLength) {
    return Fail("header length " + std::to_string(headers_length_) + " does not fit in a " +
                std::to_string(total_length_) + "-byte message");
  }
  if (headers_length_ > kMaxHeadersLength) {
    return Fail("header length " + std::to_string(headers_length_) + " is over the " +
                std::to_string(kMaxHeadersLength) + "-byte limit");
  }
  payload_length_ = total_length_ - kMinMessageLength - headers_length_;
  running_crc_ = ExtendCrc32(0, prelude_, kPreludeLength);
  headers_.clear();
  headers_.reserve(headers_length_);
  payload_ = std::string();
  payload_.reserve(payload_length_);
  prelude_have_ = 0;
  state_ = headers_length_ > 0   ? State::kHeaders
           : payload_length_ > 0 ? State::kPayload
                                 : State::kMessageCrc;
  return {};
}

Status EventStreamDecoder::FinishMessage(const std::function<void(EventMessage&&)>& on_message) {
  uint32_t expected = ReadBig32(prelude_);
  if (expected != running_crc_) {
    return Fail("message CRC mismatch (message says " + Hex32(expected) + ", bytes give " +
                Hex32(running_crc_) + ")");
  }
  EventMessage message;
  std::string what;
  if (!DecodeHeaders(headers_, &message.headers, &what)) return Fail("malformed headers: " + what);
  message.payload = std::move(payload_);
  payload_ = std::string();
  message_offset_ += total_length_;
  prelude_have_ = 0;
  state_ = State::kPrelude;
  on_message(std::move(message));
  return {};
}

Status EventStreamDecoder::Feed(std::string_view bytes,
                                const std::function<void(EventMessage&&)>& on_message) {
  while (state_ != State::kFailed) {
    switch (state_) {
      case State::kPrelude: {
        if (bytes.empty()) return {};
        size_t take = std::min(kPreludeLength - prelude_have_, bytes.size());
        std::memcpy(prelude_ + prelude_have_, bytes.data(), take);
        prelude_have_ += take;
        bytes.remove_prefix(take);
        if (prelude_have_ == kPreludeLength) {
          Status s = StartMessage();
          if (!s.ok()) return s;
        }
        break;
      }
      case State::kHeaders: {
        if (bytes.empty()) return {};
        size_t take = std::min<size_t>(headers_length_ - headers_.size(), bytes.size());
        headers_.append(bytes.data(), take);
        running_crc_ = ExtendCrc32(running_crc_, bytes.data(), take);
        bytes.remove_prefix(take);
        if (headers_.size() == headers_length_) {
          state_ = payload_length_ > 0 ? State::kPayload : State::kMessageCrc;
        }
        break;
      }
      case State::kPayload: {
        if (bytes.empty()) return {};
        size_t take = std::min(payload_length_ - payload_.size(), bytes.size());
        payload_.append(bytes.data(), take);
        running_crc_ = ExtendCrc32(running_crc_, bytes.data(), take);
        bytes.remove_prefix(take);
        if (payload_.size() == payload_length_) state_ = State::kMessageCrc;
        break;
      }
      case State::kMessageCrc: {
        if (bytes.empty()) return {};
        size_t take = std::min(kMessageCrcLength - prelude_have_, bytes.size());
        std::memcpy(prelude_ + prelude_have_, bytes.data(), take);
        prelude_have_ += take;
        bytes.remove_prefix(take);
        if (prelude_have_ == kMessageCrcLength) {
          Status s = FinishMessage(on_message);
          if (!s.ok()) return s;
        }
        break;
      }
      case State::kFailed:
        break;
    }
  }
  return error_;
}

}  // namespace brock
