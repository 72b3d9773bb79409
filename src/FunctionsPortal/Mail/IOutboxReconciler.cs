namespace FunctionsPortal.Mail;

/// <summary>
/// Finds mail that should be in the outbox by now and is not — its queue message was lost (a crash between writing
/// the record and queueing, a message that expired) — and asks for it again. Run by the <c>MailOutboxSweep</c> timer
/// after the sweep; the capability that owns the mail (Surveys for invitations) knows what "should" means.
/// </summary>
public interface IOutboxReconciler
{
    /// <summary>Re-requests what is missing; returns how many mails were asked for again.</summary>
    Task<int> ReconcileAsync(CancellationToken cancellationToken);
}
