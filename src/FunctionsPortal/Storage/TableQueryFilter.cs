using System.Text;

namespace FunctionsPortal.Storage;

/// <summary>
/// Reads a table query's <c>$filter</c> far enough to tell whether it stays inside one partition: a top-level
/// conjunct <c>PartitionKey eq '…'</c>, with no top-level <c>or</c> that could reach another. Anything else makes
/// the service read every partition — what the storage counter flags as a scan.
/// </summary>
public static class TableQueryFilter
{
    /// <summary>The decoded <c>$filter</c> of a request's query string, or an empty string when there is none.</summary>
    public static string FromQueryString(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var parameter in query.TrimStart('?').Split('&'))
        {
            var separator = parameter.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(separator < 0 ? parameter : parameter[..separator]);
            if (name == "$filter" && separator >= 0)
            {
                return Uri.UnescapeDataString(parameter[(separator + 1)..].Replace('+', ' '));
            }
        }

        return string.Empty;
    }

    /// <summary>Whether every entity the filter can match lies in one partition the filter names.</summary>
    public static bool PinsOnePartition(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Pins(WithoutLiterals(filter));
    }

    // 'and' binds tighter than 'or': a top-level 'or' may reach another partition (the literals are gone, so two
    // branches naming the same one cannot be told apart — rare, and flagged); one 'and'-ed partition equality pins it.
    private static bool Pins(string expression)
    {
        var unwrapped = Unwrap(expression);
        if (TopLevel(unwrapped, "or").Count > 1)
        {
            return false;
        }

        var conjuncts = TopLevel(unwrapped, "and");
        return conjuncts.Count > 1 ? conjuncts.Any(Pins) : IsPartitionEquality(unwrapped);
    }

    private static bool IsPartitionEquality(string conjunct)
    {
        var words = conjunct.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words is ["PartitionKey", "eq", "''"] or ["''", "eq", "PartitionKey"];
    }

    /// <summary>String literals become <c>''</c>, so keys that contain "or", brackets or quotes cannot mislead.</summary>
    private static string WithoutLiterals(string filter)
    {
        var text = new StringBuilder(filter.Length);
        for (var i = 0; i < filter.Length; i++)
        {
            if (filter[i] != '\'')
            {
                text.Append(filter[i]);
                continue;
            }

            // Inside a literal '' is an escaped quote; the literal ends at a single quote.
            for (i++; i < filter.Length; i++)
            {
                if (filter[i] == '\'' && (i + 1 >= filter.Length || filter[i + 1] != '\''))
                {
                    break;
                }

                if (filter[i] == '\'')
                {
                    i++;
                }
            }

            text.Append("''");
        }

        return text.ToString();
    }

    /// <summary>Strips brackets that enclose the whole expression, as often as they do.</summary>
    private static string Unwrap(string expression)
    {
        var trimmed = expression.Trim();
        while (trimmed.Length >= 2 && trimmed[0] == '(' && ClosingBracket(trimmed, 0) == trimmed.Length - 1)
        {
            trimmed = trimmed[1..^1].Trim();
        }

        return trimmed;
    }

    private static int ClosingBracket(string expression, int opening)
    {
        var depth = 0;
        for (var i = opening; i < expression.Length; i++)
        {
            depth += expression[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The parts of the expression joined by the operator outside any brackets.</summary>
    private static List<string> TopLevel(string expression, string @operator)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        var separator = $" {@operator} ";
        for (var i = 0; i < expression.Length; i++)
        {
            depth += expression[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0 && string.Compare(expression, i, separator, 0, separator.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                parts.Add(expression[start..i].Trim());
                start = i + separator.Length;
                i += separator.Length - 1;
            }
        }

        parts.Add(expression[start..].Trim());
        return parts.Where(part => part.Length > 0).ToList();
    }
}
