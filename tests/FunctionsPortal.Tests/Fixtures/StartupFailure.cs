namespace FunctionsPortal.Tests.Fixtures;

public static class StartupFailure
{
    /// <summary>
    /// Starts a fresh app and returns every message in the exception chain of its failed start. WebApplicationFactory
    /// sometimes reports a failed start as "Cannot access a disposed object" (its deferred host races the entry
    /// point's own teardown); that says nothing about our validation, so the start is tried again.
    /// </summary>
    public static string Of(Func<PortalApplication> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        for (var attempt = 1; ; attempt++)
        {
            using var app = create();
            var error = Record.Exception(() => app.Services);
            Assert.NotNull(error);
            if (error is ObjectDisposedException && attempt < 5)
            {
                continue;
            }

            var messages = new List<string>();
            for (var current = error; current is not null; current = current.InnerException)
            {
                messages.Add(current.Message);
                if (current is AggregateException aggregate)
                {
                    messages.AddRange(aggregate.InnerExceptions.Select(inner => inner.Message));
                }
            }

            return string.Join(Environment.NewLine, messages);
        }
    }
}
