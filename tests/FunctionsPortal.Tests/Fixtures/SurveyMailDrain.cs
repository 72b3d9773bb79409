using System.Text;
using System.Text.Json;
using FunctionsPortal.Jobs;
using FunctionsPortal.Storage;
using FunctionsPortal.Surveys;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>For tests that run the jobs by hand (a fake clock): the survey-mail queue, drained the way the poller would.</summary>
public static class SurveyMailDrain
{
    /// <summary>
    /// Invokes the SendSurveyMail function with every visible message of the queue, one after the other, until none is
    /// left (a message the function queues again for later stays invisible until then); <paramref name="beforeEach"/>
    /// runs before each invocation (e.g. to move a fake clock on).
    /// </summary>
    public static async Task DrainAsync(IServiceProvider services, CancellationToken cancellationToken, Action? beforeEach = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var queue = services.GetRequiredService<PortalStorage>().GetQueue(SurveyMailRequests.QueueName);
        var invoker = services.GetRequiredService<FunctionInvoker>();
        while (true)
        {
            var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30), cancellationToken)).Value;
            if (messages.Length == 0)
            {
                return;
            }

            foreach (var message in messages)
            {
                beforeEach?.Invoke();
                var payload = InvocationPayload.Parse(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { Data = new { message = message.Body.ToString() } })));
                Assert.True((await invoker.InvokeAsync(SendSurveyMailJob.FunctionName, message.MessageId, payload, "queue", cancellationToken)).Succeeded);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
        }
    }
}
