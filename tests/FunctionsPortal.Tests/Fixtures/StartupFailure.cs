namespace FunctionsPortal.Tests.Fixtures;

public static class StartupFailure
{
    /// <summary>Starts the app and returns every message in the exception chain of its failed start.</summary>
    public static string Of(PortalApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var error = Record.Exception(() => app.Services);
        Assert.NotNull(error);
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
