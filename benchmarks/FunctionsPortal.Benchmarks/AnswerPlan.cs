using System.Text;
using FunctionsPortal.Checklists;
using FunctionsPortal.Responses;
using FunctionsPortal.VendorPages.Sections;

namespace FunctionsPortal.Benchmarks;

/// <summary>One section page of the journey: its form fields (every applicable item answered) and the items that get a document.</summary>
internal sealed record SectionPlan(string Id, IReadOnlyList<(string Name, string Value)> Fields, IReadOnlyList<string> EvidenceItems);

/// <summary>
/// What a simulated vendor types into the survey, worked out once from the vendor's session (the same for every
/// benchmark vendor, who all have the same profile): every item that applies is answered, the best answer wherever
/// a document backs it; <c>evidenceFiles</c> items that need a document get one (file items first), and any other
/// item that needs one is answered without claiming the measure (× or the 0-point choice), which needs no proof.
/// </summary>
internal sealed class AnswerPlan
{
    private readonly Dictionary<string, IReadOnlyList<(string Name, string Value)>> _itemFields = new(StringComparer.Ordinal);

    private AnswerPlan(IReadOnlyList<SectionPlan> sections, int answers, int askable, int withoutDocument)
    {
        Sections = sections;
        Answers = answers;
        Askable = askable;
        WithoutDocument = withoutDocument;
    }

    public IReadOnlyList<SectionPlan> Sections { get; }

    /// <summary>Items answered (every item that applies to this vendor with these answers).</summary>
    public int Answers { get; }

    /// <summary>Items this vendor can ever be asked (before answer-dependent conditions).</summary>
    public int Askable { get; }

    /// <summary>Items that would want a document but are answered × / 0 points instead (there are only so many files).</summary>
    public int WithoutDocument { get; }

    public int EvidenceFiles => Sections.Sum(section => section.EvidenceItems.Count);

    public IReadOnlyList<(string Name, string Value)> FieldsFor(string itemId) => _itemFields[itemId];

    /// <summary>A valid PDF of exactly <paramref name="size"/> bytes: the header the sniffer checks, comment lines, the trailer.</summary>
    public static byte[] Pdf(int size)
    {
        var head = Encoding.ASCII.GetBytes("%PDF-1.4\n% benchmark evidence\n1 0 obj << /Type /Catalog >> endobj\n");
        var tail = Encoding.ASCII.GetBytes("trailer << /Root 1 0 R >>\n%%EOF\n");
        var bytes = new byte[size];
        head.CopyTo(bytes, 0);
        for (var i = head.Length; i < size - tail.Length; i++)
        {
            bytes[i] = (i % 80) switch { 0 => (byte)'%', 79 => (byte)'\n', _ => (byte)('a' + (i % 26)) };
        }

        tail.CopyTo(bytes, size - tail.Length);
        return bytes;
    }

    public static AnswerPlan For(VendorSession session, int evidenceFiles)
    {
        ArgumentNullException.ThrowIfNull(session);
        var checklist = session.Checklist ?? throw new InvalidOperationException("The benchmark vendor's assignment has no checklist.");

        // Pass 1: the best answer everywhere, to see which items would want a document.
        var best = new Dictionary<string, ItemAnswer>(StringComparer.Ordinal);
        var wantDocument = new List<ChecklistItem>();
        foreach (var (_, item) in checklist.Items)
        {
            if (Applicability.Applies(item, session.Profile, best))
            {
                best[item.Id] = Answer(item, claimsMeasure: true);
                if (WantsDocument(item))
                {
                    wantDocument.Add(item);
                }
            }
        }

        var withFile = wantDocument.OrderBy(item => item.AnswerType == AnswerTypes.File ? 0 : 1).Take(evidenceFiles).Select(item => item.Id).ToHashSet(StringComparer.Ordinal);

        // Pass 2: the answers sent, section by section, as the pages ask them.
        var answers = new Dictionary<string, ItemAnswer>(StringComparer.Ordinal);
        var sections = new List<SectionPlan>();
        var askable = 0;
        var withoutDocument = 0;
        var itemFields = new Dictionary<string, IReadOnlyList<(string Name, string Value)>>(StringComparer.Ordinal);
        foreach (var section in checklist.Sections)
        {
            var items = section.Items.Where(session.CanEverApply).ToList();
            if (items.Count == 0)
            {
                continue;
            }

            askable += items.Count;
            var fields = new List<(string Name, string Value)>();
            var evidence = new List<string>();
            foreach (var item in items.Where(item => Applicability.Applies(item, session.Profile, answers)))
            {
                var claims = !WantsDocument(item) || withFile.Contains(item.Id);
                if (!claims && item.AnswerType == AnswerTypes.File)
                {
                    continue; // a file item is only answered by a file: left for the review page to flag
                }

                withoutDocument += claims ? 0 : 1;
                answers[item.Id] = Answer(item, claims);
                var mine = Fields(item, claims);
                itemFields[item.Id] = mine;
                fields.AddRange(mine);
                if (withFile.Contains(item.Id))
                {
                    evidence.Add(item.Id);
                }
            }

            sections.Add(new SectionPlan(section.Id, fields, evidence));
        }

        var plan = new AnswerPlan(sections, answers.Count, askable, withoutDocument);
        foreach (var (id, fields) in itemFields)
        {
            plan._itemFields[id] = fields;
        }

        return plan;
    }

    private static bool WantsDocument(ChecklistItem item) => item.AnswerType == AnswerTypes.File || item.Evidence == "required";

    private static Choice PickChoice(ChecklistItem item, bool claimsMeasure) =>
        claimsMeasure ? item.Choices!.MaxBy(choice => choice.Points)! : item.Choices!.MinBy(choice => choice.Points)!;

    private static ItemAnswer Answer(ChecklistItem item, bool claimsMeasure) => item.AnswerType switch
    {
        AnswerTypes.Status => new ItemAnswer { Status = claimsMeasure ? StatusAnswers.Done : StatusAnswers.NotDone },
        AnswerTypes.SingleChoice or AnswerTypes.MultipleChoice => new ItemAnswer { Choices = [PickChoice(item, claimsMeasure).Id] },
        AnswerTypes.Text => new ItemAnswer { Text = "text" },
        AnswerTypes.Number => new ItemAnswer { Number = 3 },
        AnswerTypes.Date => new ItemAnswer { Date = new DateOnly(2026, 4, 1) },
        _ => new ItemAnswer { Files = ["planned"] },
    };

    private static List<(string Name, string Value)> Fields(ChecklistItem item, bool claimsMeasure)
    {
        var fields = new List<(string Name, string Value)>();
        switch (item.AnswerType)
        {
            case AnswerTypes.Status:
                fields.Add((AnswerForm.Field(item.Id, "status"), claimsMeasure ? StatusAnswers.Done : StatusAnswers.NotDone));
                if (!claimsMeasure)
                {
                    // The ○/△/× ledger: a × asks why and either a plan or a request to accept the residual risk.
                    fields.Add((AnswerForm.Field(item.Id, "reason"), "証跡となる書面を準備中のため"));
                    fields.Add((AnswerForm.Field(item.Id, "accept"), "on"));
                }

                break;
            case AnswerTypes.SingleChoice or AnswerTypes.MultipleChoice:
                fields.Add((AnswerForm.Field(item.Id, "choice"), PickChoice(item, claimsMeasure).Id));
                break;
            case AnswerTypes.Text:
                fields.Add((AnswerForm.Field(item.Id, "text"), $"{item.Id}: 当社の規程に基づき、担当部署が年1回見直しています。"));
                break;
            case AnswerTypes.Number:
                fields.Add((AnswerForm.Field(item.Id, "number"), "3"));
                break;
            case AnswerTypes.Date:
                fields.Add((AnswerForm.Field(item.Id, "date"), "2026-04-01"));
                break;
        }

        fields.Add((AnswerForm.Field(item.Id, "comment"), $"{item.Id} ベンチマークの回答（補足コメント）"));
        return fields;
    }
}
