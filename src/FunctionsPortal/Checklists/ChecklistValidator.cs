using System.Text.RegularExpressions;

namespace FunctionsPortal.Checklists;

/// <summary>Checks a checklist definition against docs/checklist-format.md and names every problem by its path.</summary>
public static partial class ChecklistValidator
{
    private static readonly IReadOnlySet<string> DataCategories = new HashSet<string>(["personal", "sensitive", "credit-card", "confidential-a", "confidential-b"], StringComparer.Ordinal);
    private static readonly IReadOnlySet<string> BusinessCategories = new HashSet<string>(["agency-shop", "call-centre", "telemarketing", "it-development", "it-operations", "cloud-service", "bpo", "other"], StringComparer.Ordinal);

    /// <param name="definition">The checklist to check.</param>
    /// <param name="parent">For a derived checklist: the resolved parent version it selects from.</param>
    public static Dictionary<string, string[]> Validate(ChecklistDefinition definition, ResolvedChecklist? parent = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string path, string message)
        {
            if (!errors.TryGetValue(path, out var list))
            {
                errors[path] = list = [];
            }

            list.Add(message);
        }

        if (!ChecklistId().IsMatch(definition.Id ?? ""))
        {
            Add("id", $"'{definition.Id}' is not a checklist id (lowercase letters, digits and dashes).");
        }

        if (definition.Version < 1)
        {
            Add("version", "The version is a positive whole number.");
        }

        if (definition.Kind is null || !ChecklistVocabulary.Kinds.Contains(definition.Kind))
        {
            Add("kind", $"'{definition.Kind}' is not one of: {string.Join(", ", ChecklistVocabulary.Kinds)}.");
        }

        CheckLocalized(definition.Title, "title", Add);
        CheckLocalized(definition.Description, "description", Add);

        if ((definition.Sections is null) == (definition.DerivedFrom is null))
        {
            Add("sections", "A checklist has either its own sections or derivedFrom, not both and not neither.");
        }

        if (definition.DerivedFrom is { } derived)
        {
            if (parent is null)
            {
                Add("derivedFrom", $"The parent checklist {derived.Id} v{derived.Version} does not exist; import it first.");
            }
            else
            {
                foreach (var section in derived.Sections ?? [])
                {
                    if (parent.Sections.All(candidate => candidate.Id != section))
                    {
                        Add("derivedFrom.sections", $"{derived.Id} v{derived.Version} has no section '{section}'.");
                    }
                }

                foreach (var item in derived.Items ?? [])
                {
                    if (parent.FindItem(item) is null)
                    {
                        Add("derivedFrom.items", $"{derived.Id} v{derived.Version} has no item '{item}'.");
                    }
                }

                if ((derived.Sections?.Count ?? 0) + (derived.Items?.Count ?? 0) == 0)
                {
                    Add("derivedFrom", "Select at least one section or item.");
                }
            }
        }

        var seenSections = new HashSet<string>(StringComparer.Ordinal);
        var seenItems = new HashSet<string>(StringComparer.Ordinal);
        var sections = definition.Sections ?? [];
        for (var s = 0; s < sections.Count; s++)
        {
            var section = sections[s];
            var sectionPath = $"sections[{s}]";
            if (!ChecklistId().IsMatch(section.Id ?? "") || !seenSections.Add(section.Id!))
            {
                Add($"{sectionPath}.id", $"'{section.Id}' must be a unique lowercase id.");
            }

            CheckLocalized(section.Title, $"{sectionPath}.title", Add);
            if (section.Items is not { Count: > 0 })
            {
                Add($"{sectionPath}.items", "A section needs at least one item.");
                continue;
            }

            for (var i = 0; i < section.Items.Count; i++)
            {
                CheckItem(section.Items[i], $"{sectionPath}.items[{i}]", seenItems, sections, Add);
                seenItems.Add(section.Items[i].Id);
            }
        }

        return errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }

    private static void CheckItem(ChecklistItem item, string path, HashSet<string> earlierItems, IReadOnlyList<ChecklistSection> sections, Action<string, string> add)
    {
        if (!ItemId().IsMatch(item.Id ?? "") || earlierItems.Contains(item.Id!))
        {
            add($"{path}.id", $"'{item.Id}' must be a unique item id like GOV-01.");
        }

        CheckLocalized(item.Text, $"{path}.text", add);
        if (item.Help is not null)
        {
            CheckLocalized(item.Help, $"{path}.help", add);
        }

        if (item.Source?.Seeds is null || item.Source.Seeds.Count == 0)
        {
            add($"{path}.source.seeds", "Name the source document(s) the item rests on.");
        }

        if (!AnswerTypes.All.Contains(item.AnswerType ?? ""))
        {
            add($"{path}.answerType", $"'{item.AnswerType}' is not one of: {string.Join(", ", AnswerTypes.All)}.");
        }

        var isChoice = item.AnswerType is AnswerTypes.SingleChoice or AnswerTypes.MultipleChoice;
        if (isChoice)
        {
            if (item.Choices is not { Count: >= 2 })
            {
                add($"{path}.choices", "A choice item needs at least two choices.");
            }
            else
            {
                if (item.Choices.Select(choice => choice.Id).Distinct(StringComparer.Ordinal).Count() != item.Choices.Count)
                {
                    add($"{path}.choices", "Choice ids must be unique.");
                }

                if (item.Choices.Any(choice => choice.Points is < 0 or > 1))
                {
                    add($"{path}.choices", "Choice points are between 0 and 1.");
                }

                for (var c = 0; c < item.Choices.Count; c++)
                {
                    CheckLocalized(item.Choices[c].Label, $"{path}.choices[{c}].label", add);
                }
            }
        }
        else if (item.Choices is { Count: > 0 })
        {
            add($"{path}.choices", "Only single-choice and multiple-choice items have choices.");
        }

        if (item.Weight is < 0 or > 5 || (item.Weight == 0 && !isChoice))
        {
            add($"{path}.weight", "The weight is 1 (minor) to 5 (key control); 0 only for a choice that scopes the survey and is not scored.");
        }

        if (!ChecklistVocabulary.Evidence.Contains(item.Evidence ?? ""))
        {
            add($"{path}.evidence", $"'{item.Evidence}' is not one of: required, optional, none.");
        }

        if (item.Critical && !item.IsScored)
        {
            add($"{path}.critical", "Only a scored item (status, agreement or a weighted choice) can be critical (must-pass).");
        }

        if (item.NaRequiresReason && !item.NaAllowed)
        {
            add($"{path}.naRequiresReason", "An N/A reason can only be required when N/A is allowed.");
        }

        if (item.IsScored)
        {
            if (item.Finding is null)
            {
                add($"{path}.finding", "A scored item needs the finding it opens when failed (type and recommended action).");
            }
            else
            {
                if (!ChecklistVocabulary.FindingTypes.Contains(item.Finding.Type ?? ""))
                {
                    add($"{path}.finding.type", "The finding type is people (training) or process (improvement guidance).");
                }

                CheckLocalized(item.Finding.Action, $"{path}.finding.action", add);
            }
        }

        var conditions = item.Applicability ?? [];
        for (var c = 0; c < conditions.Count; c++)
        {
            CheckCondition(conditions[c], $"{path}.applicability[{c}]", earlierItems, sections, add);
        }
    }

    private static void CheckCondition(Condition condition, string path, HashSet<string> earlierItems, IReadOnlyList<ChecklistSection> sections, Action<string, string> add)
    {
        var members = new object?[] { condition.VendorFlag, condition.DataCategoryAny, condition.BusinessCategoryAny, condition.Answer, condition.Not, condition.AnyOf }.Count(member => member is not null);
        if (members != 1)
        {
            add(path, "A condition has exactly one of: vendorFlag, dataCategoryAny, businessCategoryAny, answer, not, anyOf.");
            return;
        }

        if (condition.VendorFlag is { } flag && !VendorProfile.KnownFlags.Contains(flag))
        {
            add(path, $"Unknown vendor flag '{flag}'; known: {string.Join(", ", VendorProfile.KnownFlags)}.");
        }

        foreach (var category in condition.DataCategoryAny?.Where(category => !DataCategories.Contains(category)) ?? [])
        {
            add(path, $"Unknown data category '{category}'.");
        }

        foreach (var category in condition.BusinessCategoryAny?.Where(category => !BusinessCategories.Contains(category)) ?? [])
        {
            add(path, $"Unknown business category '{category}'.");
        }

        if (condition.Answer is { } answer)
        {
            // Conditions look back only: an answer can hide or show questions after it, never before.
            if (!earlierItems.Contains(answer.Item))
            {
                add(path, $"The answer condition refers to '{answer.Item}', which is not an earlier item.");
            }
            else
            {
                var target = sections.SelectMany(section => section.Items).First(item => item.Id == answer.Item);
                var allowed = target.AnswerType switch
                {
                    AnswerTypes.Status => StatusAnswers.All,
                    AnswerTypes.Agreement => AgreementAnswers.All,
                    _ => target.Choices?.Select(choice => choice.Id).ToHashSet(StringComparer.Ordinal) ?? [],
                };
                foreach (var value in answer.AnyOf.Where(value => !allowed.Contains(value)))
                {
                    add(path, $"'{value}' is not a possible answer of {answer.Item}.");
                }
            }
        }

        if (condition.Not is { } inner)
        {
            CheckCondition(inner, $"{path}.not", earlierItems, sections, add);
        }

        if (condition.AnyOf is { } alternatives)
        {
            if (alternatives.Count < 2)
            {
                add($"{path}.anyOf", "anyOf lists at least two conditions.");
            }

            for (var a = 0; a < alternatives.Count; a++)
            {
                CheckCondition(alternatives[a], $"{path}.anyOf[{a}]", earlierItems, sections, add);
            }
        }
    }

    private static void CheckLocalized(Localized? text, string path, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(text?.Ja))
        {
            add($"{path}.ja", "The Japanese text is required.");
        }

        if (string.IsNullOrWhiteSpace(text?.En))
        {
            add($"{path}.en", "The English text is required.");
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ChecklistId();

    [GeneratedRegex(@"^[A-Z]{2,4}-\d{2}$")]
    private static partial Regex ItemId();
}
