namespace FunctionsPortal.Tests.Jobs;

/// <summary>Invocation bodies in the exact shapes the Functions host sends (reference/functions.md §1.4).</summary>
internal static class HostPayloads
{
    public const string Timer = """
        {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-11-24T05:00:00+00:00","Next":"2026-11-24T05:05:00+00:00","LastUpdated":"2026-11-24T05:00:00+00:00"},"IsPastDue":false}},
         "Metadata":{"sys":{"MethodName":"PoisonQueueMonitor","UtcNow":"2026-11-24T05:05:00.0123456Z","RandGuid":"24ad4c06-7a2a-4e3b-9c5e-0d6f2f1a9b11"}}}
        """;

    /// <summary>The host JSON-encodes the message text a second time, so a JSON message arrives as a string holding JSON.</summary>
    public const string QueueWithJsonMessage = """
        {"Data":{"message":"{\"assignmentId\":\"a-42\",\"attempt\":1}"},
         "Metadata":{"DequeueCount":2,"ExpirationTime":"2026-12-01T17:58:31+00:00","Id":"800ae4b3-bdd2-4c08-badd-f08e5a34b865",
                     "InsertionTime":"2026-11-24T17:58:31+00:00","NextVisibleTime":"2026-11-24T18:08:32+00:00","PopReceipt":"AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
                     "sys":{"MethodName":"TestQueue","UtcNow":"2026-11-24T17:58:32.2205399Z","RandGuid":"24ad4c06-7a2a-4e3b-9c5e-0d6f2f1a9b11"}}}
        """;

    /// <summary>A plain-text message: "stringTest" becomes "\"stringTest\"" (the host's own unit test).</summary>
    public const string QueueWithTextMessage = """
        {"Data":{"message":"\"stringTest\""},"Metadata":{"DequeueCount":1,"Id":"1"}}
        """;
}
