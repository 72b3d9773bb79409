using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Mail;
using FunctionsPortal.Settings;

namespace FunctionsPortal.Graph;

public static class GraphFeature
{
    /// <summary>
    /// Microsoft Graph settings, validated at start-up, and — when sender mailboxes are configured — Graph as the way
    /// mail leaves (<see cref="IMailTransport"/>); otherwise AddMail falls back to its local outbox. Likewise Planner
    /// as the <see cref="ITaskBoard"/> when Graph:PlannerPlanId and Graph:PlannerBucketId are set.
    /// </summary>
    public static IHostApplicationBuilder AddGraph(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<GraphOptions>()
            .BindConfiguration(GraphOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) => options.AddSeparatedMailboxes(configuration.GetSection(GraphOptions.SectionName).GetSection(nameof(GraphOptions.SenderMailboxes))))
            .ValidateWith(new ValidateGraphOptions())
            .ValidateOnStart();
        builder.Services.AddGraphMailTransport();
        if (GraphOptions.IsMailConfigured(builder.Configuration))
        {
            builder.Services.AddSingleton<IMailTransport>(services => services.GetRequiredService<GraphMailTransport>());
        }

        // Planner is the task board when both its plan and bucket are set; otherwise AddCorrectiveActionTasks falls back to the local task list.
        builder.Services.AddGraphPlannerTaskBoard();
        if (GraphPlannerOptions.IsConfigured(builder.Configuration))
        {
            builder.Services.AddSingleton<ITaskBoard>(services => services.GetRequiredService<GraphPlannerTaskBoard>());
        }

        return builder;
    }
}
