using FunctionsPortal.Reviews;
using FunctionsPortal.Submissions;

namespace FunctionsPortal.CorrectiveActions;

public static class RemediationServices
{
    /// <summary>The vendor's remediation (sealed beside the submissions, under "remediations/") and staff's decisions on it and on residual risks; the vendor's mail when actions are raised.</summary>
    public static IHostApplicationBuilder AddRemediation(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<RemediationSealer>();
        builder.Services.AddSingleton<RemediationSubmissions>();
        builder.Services.AddSingleton<RemediationReviews>();
        // After the raiser's own sink registrations: sinks run in registration order, and the mail needs the actions raised.
        builder.Services.AddSingleton<ActionMailSink>();
        builder.Services.AddSingleton<IAcceptedSubmissionSink>(services => services.GetRequiredService<ActionMailSink>());
        builder.Services.AddSingleton<ISealedSubmissionSink>(services => services.GetRequiredService<ActionMailSink>());
        return builder;
    }
}
