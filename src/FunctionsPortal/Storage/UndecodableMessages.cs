using Azure.Storage.Queues;

namespace FunctionsPortal.Storage;

/// <summary>
/// A queue message that is not Base64 (written by a tool or producer that skipped the encoding) can never be
/// processed; like the Functions host, we park it in <c>&lt;queue&gt;-poison</c> instead of letting it loop or vanish.
/// </summary>
internal static class UndecodableMessages
{
    public static async Task MoveToPoisonAsync(QueueMessageDecodingFailedEventArgs arguments, QueueServiceClient queues)
    {
        // Only received messages are moved (a peek cannot delete); a poison queue's own odd messages stay put.
        if (arguments.ReceivedMessage is not { } message || arguments.Queue.Name.EndsWith("-poison", StringComparison.Ordinal))
        {
            return;
        }

        var poison = queues.GetQueueClient(arguments.Queue.Name + "-poison");
        if (arguments.IsRunningSynchronously)
        {
            poison.CreateIfNotExists(cancellationToken: arguments.CancellationToken);
            poison.SendMessage(message.Body, cancellationToken: arguments.CancellationToken);
            arguments.Queue.DeleteMessage(message.MessageId, message.PopReceipt, arguments.CancellationToken);
            return;
        }

        await poison.CreateIfNotExistsAsync(cancellationToken: arguments.CancellationToken);
        await poison.SendMessageAsync(message.Body, cancellationToken: arguments.CancellationToken);
        await arguments.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, arguments.CancellationToken);
    }
}
