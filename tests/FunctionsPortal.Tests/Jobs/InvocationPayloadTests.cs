using System.Text;
using System.Text.Json;
using FunctionsPortal.Jobs;

namespace FunctionsPortal.Tests.Jobs;

public sealed class InvocationPayloadTests
{
    private static InvocationPayload Parse(string body) => InvocationPayload.Parse(Encoding.UTF8.GetBytes(body));

    [Fact]
    public void TimerPayloadKeepsTheTimerInfoObject()
    {
        var payload = Parse(HostPayloads.Timer);

        var timer = payload.Data["timer"];
        Assert.Equal(JsonValueKind.Object, timer.ValueKind);
        Assert.False(timer.GetProperty("IsPastDue").GetBoolean());
        Assert.Equal("PoisonQueueMonitor", payload.Metadata["sys"].GetProperty("MethodName").GetString());
    }

    [Fact]
    public void QueueMessageHoldingJsonIsUnwrappedToAnObject()
    {
        var payload = Parse(HostPayloads.QueueWithJsonMessage);

        var message = payload.Data["message"];
        Assert.Equal(JsonValueKind.Object, message.ValueKind);
        Assert.Equal("a-42", message.GetProperty("assignmentId").GetString());
        Assert.Equal(2, payload.Metadata["DequeueCount"].GetInt32());
    }

    [Fact]
    public void DoubleEncodedPlainStringBecomesTheOriginalText()
    {
        var payload = Parse(HostPayloads.QueueWithTextMessage);

        Assert.Equal("stringTest", payload.Data["message"].GetString());
    }

    [Fact]
    public void DataThatIsItselfAJsonStringIsAccepted()
    {
        var payload = Parse("""{"Data":"{\"timer\":{\"IsPastDue\":true}}"}""");

        Assert.True(payload.Data["timer"].GetProperty("IsPastDue").GetBoolean());
        Assert.Empty(payload.Metadata);
    }

    [Fact]
    public void TextThatOnlyLooksLikeJsonStaysText()
    {
        Assert.Equal("{not json", Parse("""{"Data":{"message":"{not json"}}""").Data["message"].GetString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("garbage", "not valid JSON")]
    [InlineData("[1,2]", "array")]
    [InlineData("{\"Metadata\":{}}", "no \"Data\"")]
    [InlineData("{\"Data\":42}", "must be a JSON object")]
    [InlineData("{\"Data\":{\"x\":1},\"Metadata\":[1]}", "\"Metadata\" must be a JSON object")]
    public void MalformedBodiesGetAMessageAPersonUnderstands(string body, string expected)
    {
        var error = Assert.Throws<InvalidInvocationException>(() => Parse(body));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TypedDataIsReadThroughTheInvocation()
    {
        var invocation = new FunctionInvocation("TestQueue", "id-1", Parse(HostPayloads.QueueWithJsonMessage));

        var message = invocation.GetData<QueueMessageBody>("message");

        Assert.Equal(new QueueMessageBody("a-42", 1), message);
        Assert.Throws<InvalidInvocationException>(() => invocation.GetData<QueueMessageBody>("missing"));
    }

    private sealed record QueueMessageBody(string AssignmentId, int Attempt);
}
