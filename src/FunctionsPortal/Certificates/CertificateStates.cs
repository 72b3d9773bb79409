using FunctionsPortal.Vendors;

namespace FunctionsPortal.Certificates;

/// <summary>Where a certificate stands on a day: in force, expiring within the warning window, expired, or unknown (no expiry recorded).</summary>
public sealed record CertificateState(string Name, int? DaysLeft)
{
    public const string Current = "current";
    public const string Expiring = "expiring";
    public const string Expired = "expired";
    public const string Unknown = "unknown";

    /// <summary>An unknown expiry is unknown, never current: nobody can say the certificate is in force.</summary>
    public static CertificateState For(Certification certification, DateOnly today, int warnDays)
    {
        ArgumentNullException.ThrowIfNull(certification);
        if (certification.ExpiresOn is not { } expires)
        {
            return new(Unknown, null);
        }

        var daysLeft = expires.DayNumber - today.DayNumber;
        return new(daysLeft < 0 ? Expired : daysLeft <= warnDays ? Expiring : Current, daysLeft);
    }

    public (string Ja, string En) Label => Name switch
    {
        Current => ("有効", "Current"),
        Expiring => ($"あと{DaysLeft}日で期限切れ", $"Expires in {DaysLeft} days"),
        Expired => ($"期限切れ（{-DaysLeft}日経過）", $"Expired {-DaysLeft} days ago"),
        _ => ("有効期限不明", "Expiry unknown"),
    };
}
