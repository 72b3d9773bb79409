namespace FunctionsPortal.Checklists;

/// <summary>Whether an item is asked of a vendor, given the vendor's profile and the answers so far.</summary>
public static class Applicability
{
    public static bool Applies(ChecklistItem item, VendorProfile profile, IReadOnlyDictionary<string, ItemAnswer> answers)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Applicability is null || item.Applicability.All(condition => Holds(condition, profile, answers));
    }

    public static bool Holds(Condition condition, VendorProfile profile, IReadOnlyDictionary<string, ItemAnswer> answers)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(answers);
        if (condition.VendorFlag is { } flag)
        {
            return profile.Has(flag);
        }

        if (condition.DataCategoryAny is { } categories)
        {
            return categories.Any(profile.DataCategories.Contains);
        }

        if (condition.BusinessCategoryAny is { } businesses)
        {
            return businesses.Contains(profile.BusinessCategory, StringComparer.Ordinal);
        }

        if (condition.Answer is { } answer)
        {
            return answers.TryGetValue(answer.Item, out var given) && given.Values().Any(value => answer.AnyOf.Contains(value, StringComparer.Ordinal));
        }

        if (condition.Not is { } inner)
        {
            return !Holds(inner, profile, answers);
        }

        if (condition.AnyOf is { } alternatives)
        {
            return alternatives.Any(alternative => Holds(alternative, profile, answers));
        }

        throw new InvalidOperationException("An applicability condition has no member set.");
    }
}
