using System.Globalization;

namespace FunctionsPortal.Hosting;

/// <summary>Dates and times as every page writes them: Japanese or English, always in Japan time (where the business is).</summary>
public static class PageText
{
    public static readonly TimeSpan Japan = TimeSpan.FromHours(9);

    public static string Date(DateOnly date, bool english) => english
        ? date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)
        : date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at, bool english)
    {
        var japan = at.ToOffset(Japan);
        return english
            ? japan.ToString("d MMMM yyyy HH:mm 'JST'", CultureInfo.InvariantCulture)
            : japan.ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);
    }
}
