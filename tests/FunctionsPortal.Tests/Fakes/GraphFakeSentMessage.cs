namespace FunctionsPortal.Tests.Fakes;

/// <summary>
/// A message <see cref="GraphFake"/> sent (it left the mailbox), recorded even when the response was then "lost".
/// <see cref="MessageId"/> is null for sendMail (which has no id); the same draft sent twice is recorded twice.
/// </summary>
public sealed record GraphFakeSentMessage(
    string? MessageId,
    string Sender,
    string? OutboxKey,
    string? Subject,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string? BodyContentType,
    string? Body,
    IReadOnlyDictionary<string, string> InternetMessageHeaders,
    string? Authorization,
    DateTimeOffset SentAt,
    GraphFakeEndpoint Via);
