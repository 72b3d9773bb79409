using System.Globalization;

namespace FunctionsPortal.Vendors;

/// <summary>
/// 法人番号 (Japanese corporate number): 13 digits, the first a check digit over the other twelve
/// (National Tax Agency rule: 9 − (Σ Pn × Qn mod 9), n counted from the rightmost digit, Qn = 1 odd / 2 even).
/// </summary>
public static class CorporateNumber
{
    public static bool IsValid(string? value) =>
        value is { Length: 13 } && value.All(char.IsAsciiDigit) && value[0] - '0' == CheckDigit(value.AsSpan(1));

    /// <summary>The check digit for a 12-digit base number.</summary>
    public static int CheckDigit(ReadOnlySpan<char> baseNumber)
    {
        if (baseNumber.Length != 12)
        {
            throw new ArgumentException("A corporate number's base has 12 digits.", nameof(baseNumber));
        }

        var sum = 0;
        for (var n = 1; n <= 12; n++)
        {
            var digit = baseNumber[12 - n] - '0';
            if (digit is < 0 or > 9)
            {
                throw new ArgumentException("A corporate number has digits only.", nameof(baseNumber));
            }

            sum += digit * (n % 2 == 1 ? 1 : 2);
        }

        return 9 - (sum % 9);
    }

    /// <summary>Builds a valid 13-digit number from a 12-digit base (used for demo data).</summary>
    public static string Complete(string baseNumber)
    {
        ArgumentNullException.ThrowIfNull(baseNumber);
        return CheckDigit(baseNumber).ToString(CultureInfo.InvariantCulture) + baseNumber;
    }
}
