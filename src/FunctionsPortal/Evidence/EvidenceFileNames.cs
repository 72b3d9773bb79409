using System.Globalization;
using System.Text;

namespace FunctionsPortal.Evidence;

/// <summary>The vendor's file name made safe to show and to put in a download header; never used to name storage.</summary>
public static class EvidenceFileNames
{
    public const int MaxLength = 200;

    /// <summary>
    /// Drops any path (browsers on Windows once sent "C:\…\x.pdf"), control and bidi-format characters (which can
    /// make "exe.pdf" read as "fdp.exe"), normalises to NFC (macOS sends decomposed kana) and shortens long names
    /// keeping the extension. Empty becomes "file".
    /// </summary>
    public static string Clean(string? original)
    {
        var name = original ?? "";
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        var kept = new StringBuilder(name.Length);
        // By rune: a lone surrogate comes back as U+FFFD instead of breaking normalisation.
        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format))
            {
                kept.Append(rune.ToString());
            }
        }

        name = kept.ToString();
        name = (name.IsNormalized(NormalizationForm.FormC) ? name : name.Normalize(NormalizationForm.FormC)).Trim().TrimEnd('.').TrimEnd();
        if (name.Length == 0)
        {
            return "file";
        }

        if (name.Length <= MaxLength)
        {
            return name;
        }

        var dot = name.LastIndexOf('.');
        var extension = dot > 0 && name.Length - dot <= 16 ? name[dot..] : "";
        var stemLength = MaxLength - extension.Length;
        if (char.IsHighSurrogate(name[stemLength - 1]))
        {
            stemLength--;
        }

        return name[..stemLength].TrimEnd() + extension;
    }
}
