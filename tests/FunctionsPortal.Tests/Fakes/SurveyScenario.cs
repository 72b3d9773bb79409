using System.Text;
using FunctionsPortal.Checklists;
using FunctionsPortal.Evidence;
using FunctionsPortal.Responses;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>A vendor invited to a survey, with a working link: the starting point of every vendor-side test (and benchmark).</summary>
public sealed record InvitedVendor(string Token, Assignment Assignment, string VendorId)
{
    public string Url(string path = "") => $"/v/{Token}{path}";
}

public static class SurveyScenario
{
    /// <summary>The smallest valid PDF we need: content sniffing only looks at the header.</summary>
    public static byte[] Pdf(string marker = "evidence") => Encoding.ASCII.GetBytes($"%PDF-1.4\n% {marker}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static async Task<InvitedVendor> InviteAsync(
        IServiceProvider services, CancellationToken cancellationToken, string checklistId = "annual-lite", Vendor? vendor = null,
        string kind = SurveyKinds.Annual, string? cycle = null, int checklistVersion = 1)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (checklistId.Length > 0 && kind != SurveyKinds.HandlingMethod)
        {
            var library = services.GetRequiredService<ChecklistLibrary>();
            await Eventually.UntilAsync(
                async () => await library.InfoAsync(checklistId, checklistVersion, cancellationToken) is not null,
                () => $"the default checklist {checklistId} to be imported",
                TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
        }

        var registry = services.GetRequiredService<VendorRegistry>();
        var created = await registry.CreateAsync(vendor ?? SampleVendors.Domestic(), "test", cancellationToken, "v" + Guid.NewGuid().ToString("N")[..10]);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var handlingMethod = kind == SurveyKinds.HandlingMethod;
        var assignment = new Assignment
        {
            Cycle = cycle ?? "c" + Guid.NewGuid().ToString("N")[..8],
            VendorId = created.Id,
            Kind = kind,
            ChecklistId = handlingMethod ? null : checklistId,
            ChecklistVersion = handlingMethod ? null : checklistVersion,
            DueOn = DateOnly.FromDateTime(now.UtcDateTime).AddDays(30),
            Status = AssignmentStatus.Invited,
            InvitedAt = now,
            RecipientEmail = created.Vendor.ResponsibleOfficer.Email,
            RecipientName = created.Vendor.ResponsibleOfficer.Name,
            CreatedAt = now,
        };
        await services.GetRequiredService<AssignmentStore>().CreateManyAsync([assignment], cancellationToken);
        var token = await services.GetRequiredService<SurveyLinks>().IssueAsync(assignment.Key, cancellationToken);
        return new InvitedVendor(token, assignment, created.Id);
    }

    /// <summary>
    /// Saves a complete, valid draft straight through the stores (○ everywhere, the best choice, a PDF wherever
    /// evidence is required): for tests about what happens after answering, not about answering.
    /// </summary>
    public static async Task<Draft> CompleteDraftAsync(IServiceProvider services, InvitedVendor invited, CancellationToken cancellationToken, string comment = "")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(invited);
        var session = (await services.GetRequiredService<VendorSessions>().LoadAsync(invited.Token, cancellationToken)).Session!;
        var evidenceStore = services.GetRequiredService<EvidenceStore>();
        var answers = new Dictionary<string, ItemAnswer>(StringComparer.Ordinal);
        var evidence = new List<EvidenceFile>();
        foreach (var (_, item) in session.Checklist!.Items)
        {
            if (!Applicability.Applies(item, session.Profile, answers))
            {
                continue;
            }

            if (item.Evidence == "required" || item.AnswerType == AnswerTypes.File)
            {
                using var pdf = new MemoryStream(Pdf(item.Id));
                var upload = await evidenceStore.StoreAsync(invited.Assignment.Key, item.Id, $"{item.Id}.pdf", pdf, evidence.Sum(file => file.Size), cancellationToken);
                evidence.Add(upload.File ?? throw new InvalidOperationException(upload.Refusal?.MessageEn));
            }

            answers[item.Id] = item.AnswerType switch
            {
                AnswerTypes.Status => new ItemAnswer { Status = StatusAnswers.Done, Comment = comment.Length > 0 ? comment : null },
                AnswerTypes.Agreement => new ItemAnswer { Status = AgreementAnswers.Agree },
                AnswerTypes.SingleChoice or AnswerTypes.MultipleChoice => new ItemAnswer { Choices = [item.Choices!.MaxBy(choice => choice.Points)!.Id] },
                AnswerTypes.Text => new ItemAnswer { Text = "回答です" },
                AnswerTypes.Number => new ItemAnswer { Number = 3 },
                AnswerTypes.Date => new ItemAnswer { Date = new DateOnly(2026, 4, 1) },
                _ => new ItemAnswer { Files = evidence.Where(file => file.ItemId == item.Id).Select(file => file.Id).ToList() },
            };
        }

        return await services.GetRequiredService<DraftStore>().UpdateAsync(invited.Assignment.Key, draft => draft with { Answers = answers, Evidence = evidence }, cancellationToken);
    }

    /// <summary>Seals the saved draft as the vendor's submit would (the officer attests): for tests about what comes after.</summary>
    public static async Task<SealOutcome> SealAsync(IServiceProvider services, InvitedVendor invited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(invited);
        var session = (await services.GetRequiredService<VendorSessions>().LoadAsync(invited.Token, cancellationToken)).Session!;
        return await services.GetRequiredService<SubmissionSealer>().SealAsync(new SealRequest(
            session.Assignment, session.Draft, session.Draft.Revision, session.Checklist, session.Profile, session.Vendor.Vendor.LegalName.Ja, session.Vendor.Vendor.CorporateNumber,
            new Officer("受任 太郎", "取締役", "officer@vendor.example.jp")), cancellationToken);
    }
}
