using System.Security.Cryptography;
using System.Text;
using FunctionsPortal.Secrets;

namespace FunctionsPortal.Submissions;

/// <summary>
/// Seals use a key derived from the Key Vault signing key for this one purpose, so a seal and a link hash can never
/// be mistaken for each other even though one secret (and its version) backs both.
/// </summary>
internal static class SealKeys
{
    public const string Algorithm = "HMAC-SHA256";

    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("functions-portal/submission-seal/v1");

    public static string Sign(SigningKey key, ReadOnlySpan<byte> canonicalPayload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(HMACSHA256.HashData(key.Key, Purpose), canonicalPayload));

    public static bool Verify(SigningKey key, ReadOnlySpan<byte> canonicalPayload, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(key, canonicalPayload)), Encoding.ASCII.GetBytes(signature ?? ""));
}
