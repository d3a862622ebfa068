#include "aws/aws_error.h"

#include <gtest/gtest.h>

#include "base/secrets.h"

namespace brock {
namespace {

TEST(ParseAwsJsonError, TypeFromHeaderWithSuffixStripped) {
  HttpHeaders headers = {
      {"Content-Type", "application/json"},
      {"x-amzn-errortype",
       "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/"}};
  Error e = ParseAwsJsonError(
      403, headers,
      R"({"message":"User: arn:aws:iam::123456789012:user/dev is not authorized to perform: bedrock:InvokeModelWithResponseStream"})");
  EXPECT_EQ(e.code, "aws.AccessDeniedException");
  EXPECT_EQ(e.http_status, 403);
  EXPECT_FALSE(e.retryable);
  EXPECT_EQ(e.message,
            "AccessDeniedException: User: arn:aws:iam::123456789012:user/dev is not authorized to "
            "perform: bedrock:InvokeModelWithResponseStream");
  EXPECT_NE(e.fix.find("IAM"), std::string::npos);
}

TEST(ParseAwsJsonError, HeaderWinsOverBody) {
  HttpHeaders headers = {{"X-Amzn-ErrorType", "ValidationException"}};
  Error e = ParseAwsJsonError(400, headers,
                              R"({"__type":"com.amazon#SomethingElse","message":"bad model"})");
  EXPECT_EQ(e.code, "aws.ValidationException");
  EXPECT_EQ(e.message, "ValidationException: bad model");
}

TEST(ParseAwsJsonError, TypeFromBodyTypeWithNamespaceStripped) {
  Error e = ParseAwsJsonError(
      400, {},
      R"({"__type":"com.amazonaws.bedrock#ValidationException","Message":"The provided model identifier is invalid."})");
  EXPECT_EQ(e.code, "aws.ValidationException");
  EXPECT_EQ(e.message, "ValidationException: The provided model identifier is invalid.");
  EXPECT_FALSE(e.retryable);
}

TEST(ParseAwsJsonError, TypeFromBodyCode) {
  Error e = ParseAwsJsonError(
      404, {}, R"({"code":"ResourceNotFoundException","message":"no such profile"})");
  EXPECT_EQ(e.code, "aws.ResourceNotFoundException");
  EXPECT_EQ(e.http_status, 404);
  EXPECT_EQ(e.message, "ResourceNotFoundException: no such profile");
}

TEST(ParseAwsJsonError, SsoUnauthorized) {
  Error e = ParseAwsJsonError(
      401, {},
      R"({"message":"Session token not found or invalid","__type":"com.amazonaws.switchboard.portal#UnauthorizedException"})");
  EXPECT_EQ(e.code, "aws.UnauthorizedException");
  EXPECT_FALSE(e.retryable);
}

TEST(ParseAwsJsonError, SsoOidcOAuthStyleBody) {
  Error e = ParseAwsJsonError(
      400, {},
      R"({"error":"authorization_pending","error_description":"Authorization is still pending"})");
  EXPECT_EQ(e.code, "aws.AuthorizationPendingException");
  EXPECT_EQ(e.message, "AuthorizationPendingException: Authorization is still pending");
}

TEST(ParseAwsJsonError, ThrottlingTypesAreRetryable) {
  for (const char* type :
       {"ThrottlingException", "TooManyRequestsException", "ServiceUnavailableException",
        "InternalServerException", "ModelNotReadyException"}) {
    SCOPED_TRACE(type);
    // A 400 status so that only the type can make it retryable.
    Error e = ParseAwsJsonError(400, {{"x-amzn-ErrorType", type}}, R"({"message":"slow down"})");
    EXPECT_EQ(e.code, std::string("aws.") + type);
    EXPECT_TRUE(e.retryable);
  }
}

TEST(ParseAwsJsonError, RetryableStatusesEvenForOtherTypes) {
  for (int status : {429, 500, 502, 503, 504}) {
    Error e = ParseAwsJsonError(status, {}, R"({"__type":"SomeFault","message":"x"})");
    EXPECT_TRUE(e.retryable) << status;
    EXPECT_EQ(e.http_status, status);
  }
  for (int status : {400, 401, 403, 404, 501}) {
    Error e = ParseAwsJsonError(status, {}, R"({"__type":"SomeFault","message":"x"})");
    EXPECT_FALSE(e.retryable) << status;
  }
}

TEST(ParseAwsJsonError, NonJsonBodyStillGivesAnError) {
  Error html = ParseAwsJsonError(403, {}, "<html><body>Blocked by proxy</body></html>");
  EXPECT_EQ(html.code, "aws.UnknownError");
  EXPECT_EQ(html.http_status, 403);
  EXPECT_NE(html.message.find("HTTP 403"), std::string::npos);
  EXPECT_NE(html.message.find("HTML"), std::string::npos);
  EXPECT_FALSE(html.fix.empty());

  Error empty = ParseAwsJsonError(503, {}, "");
  EXPECT_EQ(empty.code, "aws.UnknownError");
  EXPECT_TRUE(empty.retryable);
  EXPECT_NE(empty.message.find("empty body"), std::string::npos);

  Error text = ParseAwsJsonError(400, {}, "something\nwent\n\nwrong");
  EXPECT_NE(text.message.find("something went wrong"), std::string::npos) << text.message;
  EXPECT_EQ(text.message.find('\n'), std::string::npos);
}

TEST(ParseAwsJsonError, MessageIsOneLineAndScrubbed) {
  RegisterSecret("SECRETsecretSECRETsecret1234");
  Error e = ParseAwsJsonError(400, {{"x-amzn-ErrorType", "ValidationException"}},
                              R"({"message":"line one\nline two SECRETsecretSECRETsecret1234"})");
  EXPECT_EQ(e.message, "ValidationException: line one line two [REDACTED]");
}

TEST(ParseAwsJsonError, MissingMessageNamesTheStatus) {
  Error e = ParseAwsJsonError(400, {{"x-amzn-ErrorType", "ValidationException"}}, "{}");
  EXPECT_EQ(e.message, "ValidationException (HTTP 400)");
}

EventMessage Exception(const std::string& type, const std::string& payload) {
  return EventMessage{
      {StringHeader(":exception-type", type), StringHeader(":content-type", "application/json"),
       StringHeader(":message-type", "exception")},
      payload};
}

TEST(ErrorFromEventMessage, ExceptionTypesAreUpperCasedAndClassified) {
  struct Case {
    const char* type;
    const char* code;
    bool retryable;
  };
  for (const Case& c :
       {Case{"throttlingException", "aws.ThrottlingException", true},
        Case{"modelStreamErrorException", "aws.ModelStreamErrorException", true},
        Case{"internalServerException", "aws.InternalServerException", true},
        Case{"serviceUnavailableException", "aws.ServiceUnavailableException", true},
        Case{"validationException", "aws.ValidationException", false},
        Case{"modelTimeoutException", "aws.ModelTimeoutException", false}}) {
    SCOPED_TRACE(c.type);
    Error e =
        ErrorFromEventMessage(Exception(c.type, R"({"message":"Too many tokens, please wait."})"));
    EXPECT_EQ(e.code, c.code);
    EXPECT_EQ(e.retryable, c.retryable);
    EXPECT_EQ(e.http_status, 0);
    EXPECT_EQ(e.message, std::string(c.code).substr(4) + ": Too many tokens, please wait.");
    EXPECT_FALSE(e.fix.empty());
  }
}

TEST(ErrorFromEventMessage, ModelStreamErrorCarriesTheOriginalStatus) {
  Error e = ErrorFromEventMessage(Exception(
      "modelStreamErrorException",
      R"({"message":"Model stream error","originalStatusCode":500,"originalMessage":"upstream hiccup"})"));
  EXPECT_EQ(e.code, "aws.ModelStreamErrorException");
  EXPECT_TRUE(e.retryable);
  EXPECT_EQ(
      e.message,
      "ModelStreamErrorException: Model stream error (model returned status 500: upstream hiccup)");
}

TEST(ErrorFromEventMessage, ErrorMessagesUseTheirHeaders) {
  EventMessage m{
      {StringHeader(":message-type", "error"), StringHeader(":error-code", "internalFailure"),
       StringHeader(":error-message", "An internal error occurred")},
      ""};
  Error e = ErrorFromEventMessage(m);
  EXPECT_EQ(e.code, "aws.InternalFailure");
  EXPECT_EQ(e.message, "InternalFailure: An internal error occurred");
  EXPECT_TRUE(e.retryable);
}

TEST(ErrorFromEventMessage, NonJsonPayloadBecomesTheMessage) {
  Error e = ErrorFromEventMessage(Exception("validationException", "plain words"));
  EXPECT_EQ(e.message, "ValidationException: plain words");
}

TEST(ErrorFromEventMessage, OrdinaryEventsAreUnexpected) {
  EventMessage m{{StringHeader(":message-type", "event"), StringHeader(":event-type", "surprise")},
                 "{}"};
  Error e = ErrorFromEventMessage(m);
  EXPECT_EQ(e.code, "aws.UnexpectedEvent");
  EXPECT_NE(e.message.find("surprise"), std::string::npos);
  EXPECT_FALSE(e.retryable);
}

TEST(ParseAwsXmlError, StsErrorResponse) {
  const char* body = R"(<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>ExpiredToken</Code>
    <Message>The security token included in the request is expired</Message>
  </Error>
  <RequestId>4a8b6a3e-0000-4000-8000-000000000000</RequestId>
</ErrorResponse>)";
  Error e = ParseAwsXmlError(403, body);
  EXPECT_EQ(e.code, "aws.ExpiredToken");
  EXPECT_EQ(e.http_status, 403);
  EXPECT_EQ(e.message, "ExpiredToken: The security token included in the request is expired");
  EXPECT_FALSE(e.retryable);
  EXPECT_NE(e.fix.find("sign in again"), std::string::npos);
}

TEST(ParseAwsXmlError, ThrottlingAndBareErrorRoot) {
  Error e = ParseAwsXmlError(
      400, "<Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error>");
  EXPECT_EQ(e.code, "aws.Throttling");
  EXPECT_TRUE(e.retryable);
  EXPECT_EQ(e.message, "Throttling: Rate exceeded");
}

TEST(ParseAwsXmlError, UnparseableBodyFallsBackToStatus) {
  Error e = ParseAwsXmlError(502, "Bad Gateway");
  EXPECT_EQ(e.code, "aws.UnknownError");
  EXPECT_TRUE(e.retryable);
  EXPECT_NE(e.message.find("HTTP 502"), std::string::npos);
  Error no_code =
      ParseAwsXmlError(400, "<ErrorResponse><Error><Message>hm</Message></Error></ErrorResponse>");
  EXPECT_EQ(no_code.code, "aws.UnknownError");
}

}  // namespace
}  // namespace brock
