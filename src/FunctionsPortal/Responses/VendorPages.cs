using System.Globalization;
using FunctionsPortal.Checklists;
using FunctionsPortal.Evidence;
using FunctionsPortal.Responses.Pages;
using FunctionsPortal.Subcontractors;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Responses;

/// <summary>
/// The pages a vendor reaches through its link (/v/{token}/…): server-rendered, Post/Redirect/Get, antiforgery on
/// every form, working without JavaScript. Every handler starts from the token alone (<see cref="VendorSessions"/>).
/// </summary>
internal static class VendorPages
{
    private const string LanguageCookie = "portal-lang";

    public static IEndpointRouteBuilder MapVendorPages(this IEndpointRouteBuilder endpoints)
    {
        var limits = endpoints.ServiceProvider.GetRequiredService<IOptions<EvidenceOptions>>().Value;
        // One post may carry several files: allow the whole assignment's allowance plus the answers themselves.
        var bodyLimit = limits.MaxAssignmentBytes + (8L * 1024 * 1024);
        var pages = endpoints.MapGroup("/v/{token}").ExcludeFromDescription().AddEndpointFilter(SecurityHeadersAsync);
        pages.MapGet("/", ShowLandingAsync);
        pages.MapGet("/s/{sectionId}", ShowSectionAsync);
        pages.MapPost("/s/{sectionId}", SaveSectionAsync).WithMetadata(new RequestSizeLimitAttribute(bodyLimit)).WithFormOptions(multipartBodyLengthLimit: bodyLimit);
        pages.MapGet("/review", ShowReviewAsync);
        pages.MapPost("/submit", SubmitAsync);
        pages.MapGet("/receipts/{version:int}", ShowReceiptAsync);
        pages.MapGet("/receipts/{version:int}/download", DownloadReceiptAsync);
        pages.MapGet("/answers/{version:int}", ShowAnswersAsync);
        pages.MapGet("/subcontractors", ShowSubcontractorsAsync);
        pages.MapPost("/subcontractors", DeclareSubcontractorAsync);
        pages.MapGet("/document", ShowDocumentAsync);
        pages.MapPost("/document", SaveDocumentAsync).WithMetadata(new RequestSizeLimitAttribute(bodyLimit)).WithFormOptions(multipartBodyLengthLimit: bodyLimit);
        pages.MapGet("/evidence/{evidenceId}", DownloadEvidenceAsync);
        pages.MapGet("/lang/{language}", SwitchLanguage);
        return endpoints;
    }

    internal static async Task<IResult> ShowLandingAsync(string token, HttpContext context, VendorPagePipeline pipeline, Vendors.VendorStore vendors, CancellationToken cancellationToken)
    {
        var (session, problem) = await pipeline.OpenAsync(token, context, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        var assignment = session.Assignment;
        if (assignment.Status is AssignmentStatus.Invited or AssignmentStatus.Overdue)
        {
            assignment = await pipeline.Assignments.TransitionAsync(assignment.Key, AssignmentStatus.Opened, "vendor", "Link opened", pipeline.Clock.GetUtcNow(), cancellationToken) ?? assignment;
            session = session with { Assignment = assignment };
        }

        // A submission sealed but not fully recorded (the process stopped in between) is finished here.
        if (session.IsOpen && await pipeline.Sealer.EnsureRecordedAsync(assignment, session.Checklist, session.Profile, cancellationToken))
        {
            session = session with { Assignment = await pipeline.Assignments.FindAsync(assignment.Key, cancellationToken) ?? assignment };
        }

        var parentName = "";
        if (session.IsHandlingMethod && session.Vendor.Vendor.ParentId is { } parentId)
        {
            // A point read: the registry's FindAsync computes every vendor's tier just to name one.
            parentName = (await vendors.FindAsync(parentId, cancellationToken))?.Vendor.LegalName.Ja ?? "";
        }

        return Render<LandingPage>(new
        {
            Page = pipeline.PageContext(context, token),
            Session = session,
            Submissions = await pipeline.Submissions.ListAsync(session.Key, cancellationToken),
            Subcontractors = session.IsHandlingMethod ? [] : await pipeline.Declarations.ListAsync(session.Vendor.Id, cancellationToken),
            ParentName = parentName,
        });
    }

    internal static async Task<IResult> ShowSectionAsync(string token, string sectionId, HttpContext context, VendorPagePipeline pipeline, CancellationToken cancellationToken)
    {
        var (session, problem) = await pipeline.OpenAsync(token, context, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        if (!session.IsOpen || session.Checklist is null)
        {
            return TypedResults.Redirect(session.Url());
        }

        var sections = AskableSections(session);
        var index = sections.FindIndex(section => section.Section.Id == sectionId);
        if (index < 0)
        {
            return TypedResults.Redirect(session.Url());
        }

        var previous = await pipeline.PreviousAsync(session, cancellationToken);
        return Render<SectionPage>(new
        {
            Page = pipeline.PageContext(context, token),
            Session = session,
            Index = index,
            Sections = (IReadOnlyList<(ChecklistSection, IReadOnlyList<ChecklistItem>)>)sections,
            Previous = previous?.Payload.Answers,
            PreviousEvidence = previous?.Payload.Evidence ?? [],
            MaxFileBytes = pipeline.EvidenceLimits.MaxFileBytes,
        });
    }

    internal static async Task<IResult> SaveSectionAsync(string token, string sectionId, IFormCollection form, HttpContext context, VendorPagePipeline pipeline, CancellationToken cancellationToken)
    {
        var (session, problem) = await pipeline.OpenAsync(token, context, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        if (!session.IsOpen || session.Checklist is null)
        {
            Flash.Write(context, [Notice.Error(null, "提出済みのため、回答は変更できません。", "This survey has been submitted; the answers can no longer change.")]);
            return TypedResults.Redirect(session.Url());
        }

        var sections = AskableSections(session);
        var index = sections.FindIndex(section => section.Section.Id == sectionId);
        if (index < 0)
        {
            return TypedResults.Redirect(session.Url());
        }

        var pageItems = sections[index].Items;
        var parsed = AnswerForm.Parse(form, pageItems, session.Draft);
        var action = form["action"].LastOrDefault();
        // Last cycle is read only when something takes it over: autosave posts on every pause in typing.
        var previous = parsed.StillTrue.Count > 0 || action == "carry-all" ? await pipeline.PreviousAsync(session, cancellationToken) : null;
        var notices = parsed.Problems.ToList();
        var (added, refused) = await pipeline.StoreFilesAsync(session, form, pageItems.Select(item => item.Id).ToHashSet(StringComparer.Ordinal), allowedTypes: null, cancellationToken);
        notices.AddRange(refused);
        var removed = form["remove"].OfType<string>().ToHashSet(StringComparer.Ordinal);
        var stillTrue = action == "carry-all" && previous is not null
            ? parsed.StillTrue.Union(pageItems.Where(item => previous.Payload.Answers.ContainsKey(item.Id)).Select(item => item.Id)).ToList()
            : parsed.StillTrue;

        var draft = await pipeline.Drafts.UpdateAsync(session.Key, current =>
        {
            var answers = current.Answers.ToDictionary(StringComparer.Ordinal);
            var carried = current.CarriedForward.ToHashSet(StringComparer.Ordinal);
            var evidence = current.Evidence.Where(file => !removed.Contains(file.Id)).Concat(added).ToList();
            foreach (var (itemId, answer) in parsed.Answers)
            {
                carried.Remove(itemId);
                if (answer is null)
                {
                    answers.Remove(itemId);
                }
                else
                {
                    answers[itemId] = answer;
                }
            }

            foreach (var itemId in stillTrue)
            {
                carried.Add(itemId);
                if (!answers.ContainsKey(itemId) && previous?.Payload.Answers.GetValueOrDefault(itemId) is { } last)
                {
                    // "Still true" with nothing new typed: last cycle's answer, and its documents (same blobs, same hashes).
                    answers[itemId] = SubmissionSealer.ToItemAnswer(last);
                    if (!evidence.Any(file => file.ItemId == itemId))
                    {
                        evidence.AddRange(previous.Payload.Evidence.Where(file => file.ItemId == itemId)
                            .Select(file => new EvidenceFile(file.Id, file.ItemId, file.FileName, file.ContentType, file.Size, file.Sha256, file.BlobName, pipeline.Clock.GetUtcNow())));
                    }
                }
            }

            SyncFileAnswers(session.Checklist, answers, evidence);
            return current with { Answers = answers, CarriedForward = [.. carried.Order(StringComparer.Ordinal)], Evidence = evidence };
        }, cancellationToken);

        await pipeline.DeleteRemovedAsync(session, removed, cancellationToken);
        await pipeline.MarkInProgressAsync(session, cancellationToken);

        if (context.Request.Headers.ContainsKey("X-Autosave"))
        {
            return TypedResults.Ok(new AutosaveResult(draft.Revision, draft.UpdatedAt, notices.Select(notice => notice.ItemId).OfType<string>().ToList()));
        }

        var target = action switch
        {
            "next" when index + 1 < sections.Count && notices.Count == 0 => session.Url($"/s/{sections[index + 1].Section.Id}"),
            "prev" when index > 0 && notices.Count == 0 => session.Url($"/s/{sections[index - 1].Section.Id}"),
            "review" when notices.Count == 0 => session.Url("/review"),
            _ => session.Url($"/s/{sectionId}"),
        };
        if (notices.Count == 0 && action == "carry-all")
        {
            notices.Add(Notice.Info("前回の回答を引き継ぎました。内容をご確認ください。", "Last year's answers were taken over: please check them."));
        }
        else if (notices.Count == 0 && (action is "save" or null || removed.Count > 0 || added.Count > 0))
        {
            notices.Add(Notice.Info("下書きを保存しました。", "Draft saved."));
        }

        Flash.Write(context, notices);
        return TypedResults.Redirect(target);
    }

    internal static async Task<IResult> ShowReviewAsync(string token, HttpContext context, VendorPagePipeline pipeline, CancellationToken cancellationToken)
    {
        var (session, problem) = await pipeline.OpenAsync(token, context, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        if (!session.IsOpen || session.Checklist is null)
        {
            return TypedResults.Redirect(session.Url());
        }

        return Render<ReviewPage>(new
        {
            Page = pipeline.PageContext(context, token),
            Session = session,
            Sections = session.VisibleSections(),
            Problems = ReadinessCheck.Problems(session, session.Draft),
            Subcontractors = await pipeline.Declarations.ListAsync(session.Vendor.Id, cancellationToken),
            Officer = session.Draft.Officer ?? DefaultOfficer(session),
        });
    }

    internal static async Task<IResult> SubmitAsync(string token, IFormCollection form, HttpContext context, VendorPagePipeline pipeline, CancellationToken cancellationToken)
    {
        var (session, problem) = await pipeline.OpenAsync(token, context, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        var officer = OfficerFrom(form);
        var officerProblems = ReadinessCheck.OfficerProblems(officer.Name, officer.Title, officer.Email, form["attest"].Count > 0);
        _ = int.TryParse(form["revision"].LastOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var revision);
        if (officerProblems.Count > 0)
        {
            if (session.IsOpen)
            {
                await pipeline.Drafts.UpdateAsync(session.Key, current => current.Officer == officer ? null : current with { Officer = officer }, cancellationToken);
            }

            Flash.Write(context, officerProblems);
            return TypedResults.Redirect(session.Url("/review"));
        }

        return await pipeline.SealAsync(session, context, revision, officer, declaration: null, cancellationToken);
    }

    internal static async Task<IResult> ShowReceiptAsync(string token, int version, HttpContext context, VendorPagePipeline pipeline, CancellationToken cancellationToken)
    {
        var (session, problem) = await pipeline.OpenAsync(token, context, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        // Only this assignment's versions: the key comes from the token, never from the URL.
        if (await pipeline.Sealer.FindAsync(session.Key, version, cancellationToken) is not { } envelope)
        {
            return TypedResults.Redirect(session.Url());
        }

        return Render<ReceiptPage>(new
        {
            Page = pipeline.PageContext(context, token),
            Envelope = envelope,
            DownloadUrl = session.Url($"/receipts/{version}/download"),
            AnswersUrl = session.Url($"/answers/{version}"),
            HomeUrl = session.Url(),
        });
    }

    internal static async Task<IResult> DownloadReceiptAsync(string token, int version, HttpContext context, VendorPagePipeline pipeline, CancellationToken cancellationToken)
    {
        var (session, problem) = await pipeline.OpenAsync(token, context, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        var bytes = await pipeline.Submissions.ReadSealedAsync(session.Key, version, cancellationToken);
        return bytes is null
            ? TypedResults.NotFound()
            : TypedResults.File(bytes, "application/json", $"receipt-{session.Assignment.VendorId}-{session.Assignment.Cycle}-v{version}.json");
    }

    /// <summary>A vendor's own document (in the draft or in a sealed version), always as a download.</summary>
    internal static async Task<IResult> DownloadEvidenceAsync(string token, string evidenceId, HttpContext context, VendorPagePipeline pipeline, EvidenceStore evidence, CancellationToken cancellationToken)
    {
        var (session, problem) = await pipeline.OpenAsync(token, context, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        var file = session.Draft.Evidence.FirstOrDefault(candidate => candidate.Id == evidenceId);
        if (file is null)
        {
            foreach (var record in await pipeline.Submissions.ListAsync(session.Key, cancellationToken))
            {
                var sealedFile = (await pipeline.Sealer.ReadAsync(session.Key, record.Version, cancellationToken)).Payload.Evidence.FirstOrDefault(candidate => candidate.Id == evidenceId);
                if (sealedFile is not null)
                {
                    file = new EvidenceFile(sealedFile.Id, sealedFile.ItemId, sealedFile.FileName, sealedFile.ContentType, sealedFile.Size, sealedFile.Sha256, sealedFile.BlobName, default);
                    break;
                }
            }
        }

        return file is null
            ? TypedResults.NotFound()
            : TypedResults.File(await evidence.OpenReadAsync(file.BlobName, cancellationToken), file.ContentType, file.FileName);
    }

    internal static async Task<IResult> ShowAnswersAsync(string token, int version, HttpContext context, VendorPagePipeline pipeline, CancellationToken cancellationToken)
    {
        var (session, problem) = await pipeline.OpenAsync(token, context, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        if (await pipeline.Sealer.FindAsync(session.Key, version, cancellationToken) is not { } envelope)
        {
            return TypedResults.Redirect(session.Url());
        }

        var answers = envelope.Payload.Answers.ToDictionary(pair => pair.Key, pair => SubmissionSealer.ToItemAnswer(pair.Value), StringComparer.Ordinal);
        return Render<SubmittedAnswersPage>(new
        {
            Page = pipeline.PageContext(context, token),
            Envelope = envelope,
            Sections = session.VisibleSections(answers),
            ReceiptUrl = session.Url($"/receipts/{version}"),
        });
    }

    internal static async Task<IResult> ShowSubcontractorsAsync(string token, HttpContext context, VendorPagePipeline pipeline, CancellationToken cancellationToken)
    {
        var (session, problem) = await pipeline.OpenAsync(token, context, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        return Render<SubcontractorsPage>(new
        {
            Page = pipeline.PageContext(context, token),
            Session = session,
            Subcontractors = await pipeline.Declarations.ListAsync(session.Vendor.Id, cancellationToken),
            Open = !session.IsHandlingMethod,
        });
    }

    internal static async Task<IResult> DeclareSubcontractorAsync(string token, IFormCollection form, HttpContext context, VendorPagePipeline pipeline, CancellationToken cancellationToken)
    {
        var (session, problem) = await pipeline.OpenAsync(token, context, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        if (session.IsHandlingMethod)
        {
            return TypedResults.Redirect(session.Url());
        }

        string? Value(string name) => form[name].LastOrDefault()?.Trim();
        var input = new SubcontractorInput(Value("name"), Value("corporateNumber"), Value("country"), Value("scope"), form["handlesPersonalData"].Count > 0, Value("contactName"), Value("contactEmail"));
        var errors = string.IsNullOrWhiteSpace(input.Scope)
            ? new Dictionary<string, string[]> { ["scope"] = ["Describe the work subcontracted / 業務の範囲を記入してください。"] }
            : await pipeline.Declarations.DeclareAsync(session.Vendor.Id, input, cancellationToken);
        Flash.Write(context, errors.Count == 0
            ? [Notice.Info($"{input.Name} を登録し、事前承認を依頼しました。", $"{input.Name} was added and our approval requested.")]
            : errors.Select(error => Notice.Error(null, $"{FieldLabel(error.Key).Ja}: {string.Join(" ", error.Value)}", $"{FieldLabel(error.Key).En}: {string.Join(" ", error.Value)}")));
        return TypedResults.Redirect(session.Url("/subcontractors"));
    }

    internal static async Task<IResult> ShowDocumentAsync(string token, HttpContext context, VendorPagePipeline pipeline, CancellationToken cancellationToken)
    {
        var (session, problem) = await pipeline.OpenAsync(token, context, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        if (!session.IsOpen || !session.IsHandlingMethod)
        {
            return TypedResults.Redirect(session.Url());
        }

        return Render<DocumentPage>(new { Page = pipeline.PageContext(context, token), Session = session, DefaultOfficer = DefaultOfficer(session) });
    }

    internal static async Task<IResult> SaveDocumentAsync(string token, IFormCollection form, HttpContext context, VendorPagePipeline pipeline, CancellationToken cancellationToken)
    {
        var (session, problem) = await pipeline.OpenAsync(token, context, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        if (!session.IsOpen || !session.IsHandlingMethod)
        {
            return TypedResults.Redirect(session.Url());
        }

        string Value(string name)
        {
            var value = (form[name].LastOrDefault() ?? "").Trim();
            return value.Length > 2000 ? value[..2000] : value;
        }

        var declaration = new SealedDeclaration(Value("dataHandled"), Value("purposes"), Value("storagePlace"), Value("storageCountry").ToUpperInvariant(), Value("securityMeasures"), Value("furtherSubcontracting"));
        var officer = OfficerFrom(form);
        var (added, refused) = await pipeline.StoreFilesAsync(session, form, new HashSet<string>(["document"], StringComparer.Ordinal), DocumentTypes, cancellationToken);
        var removed = form["remove"].OfType<string>().ToHashSet(StringComparer.Ordinal);
        var draft = await pipeline.Drafts.UpdateAsync(session.Key, current => current with
        {
            Declaration = declaration,
            Officer = officer,
            Evidence = [.. current.Evidence.Where(file => !removed.Contains(file.Id)), .. added],
        }, cancellationToken);
        await pipeline.DeleteRemovedAsync(session, removed, cancellationToken);
        await pipeline.MarkInProgressAsync(session, cancellationToken);
        if (context.Request.Headers.ContainsKey("X-Autosave"))
        {
            return TypedResults.Ok(new AutosaveResult(draft.Revision, draft.UpdatedAt, []));
        }

        var notices = refused.ToList();
        if (form["action"].LastOrDefault() == "submit" && notices.Count == 0 && removed.Count == 0)
        {
            notices.AddRange(DocumentProblems(draft, declaration));
            notices.AddRange(ReadinessCheck.OfficerProblems(officer.Name, officer.Title, officer.Email, form["attest"].Count > 0));
            if (notices.Count == 0)
            {
                return await pipeline.SealAsync(session with { Draft = draft }, context, draft.Revision, officer, declaration, cancellationToken);
            }
        }

        if (notices.Count == 0)
        {
            notices.Add(Notice.Info("下書きを保存しました。", "Draft saved."));
        }

        Flash.Write(context, notices);
        return TypedResults.Redirect(session.Url("/document"));
    }

    internal static IResult SwitchLanguage(string token, string language, HttpContext context, string? back = null)
    {
        context.Response.Cookies.Append(LanguageCookie, language == "en" ? "en" : "ja", new CookieOptions
        {
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(365),
        });
        // Only back to this link's own pages: the parameter must never become an open redirect.
        var home = $"/v/{token}";
        return TypedResults.Redirect(back is not null && (back == home || back.StartsWith(home + "/", StringComparison.Ordinal)) && !back.Contains("//", StringComparison.Ordinal) ? back : home);
    }

    internal static bool PrefersEnglish(HttpContext context) => context.Request.Cookies.TryGetValue(LanguageCookie, out var value) && value == "en";

    /// <summary>Sections with the items that can apply to this vendor (conditional ones included, shown or hidden by answers).</summary>
    private static List<(ChecklistSection Section, IReadOnlyList<ChecklistItem> Items)> AskableSections(VendorSession session) =>
        session.Checklist!.Sections
            .Select(section => (section, (IReadOnlyList<ChecklistItem>)section.Items.Where(session.CanEverApply).ToList()))
            .Where(pair => pair.Item2.Count > 0)
            .ToList();

    private static void SyncFileAnswers(ResolvedChecklist checklist, Dictionary<string, ItemAnswer> answers, List<EvidenceFile> evidence)
    {
        foreach (var (_, item) in checklist.Items.Where(pair => pair.Item.AnswerType == AnswerTypes.File))
        {
            var files = evidence.Where(file => file.ItemId == item.Id).Select(file => file.Id).ToList();
            if (files.Count > 0)
            {
                answers[item.Id] = (answers.GetValueOrDefault(item.Id) ?? new ItemAnswer()) with { Files = files };
            }
            else if (answers.TryGetValue(item.Id, out var answer))
            {
                answer = answer with { Files = null };
                if (answer.Status is null && answer.Comment is null && answer.NaReason is null)
                {
                    answers.Remove(item.Id);
                }
                else
                {
                    answers[item.Id] = answer;
                }
            }
        }
    }

    private static IEnumerable<Notice> DocumentProblems(Draft draft, SealedDeclaration declaration)
    {
        if (!draft.EvidenceFor("document").Any())
        {
            yield return Notice.Error("document", "取扱方法の書面を添付してください。", "Attach the handling-method document.");
        }

        foreach (var (name, value, ja, en) in new[]
        {
            ("dataHandled", declaration.DataHandled, "取り扱う個人データの項目", "Personal data handled"),
            ("purposes", declaration.Purposes, "取扱いの目的", "Purposes"),
            ("storagePlace", declaration.StoragePlace, "保管場所", "Where it is stored"),
            ("storageCountry", declaration.StorageCountry, "保管国", "Country of storage"),
            ("securityMeasures", declaration.SecurityMeasures, "主な安全管理措置", "Main security measures"),
            ("furtherSubcontracting", declaration.FurtherSubcontracting, "さらなる再委託", "Further subcontracting"),
        })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return Notice.Error($"decl-{name}", $"{ja}を記入してください。", $"Fill in: {en}.");
            }
        }
    }

    private static readonly IReadOnlySet<string> DocumentTypes = new HashSet<string>(
        ["application/pdf", "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"], StringComparer.Ordinal);

    private static Officer? DefaultOfficer(VendorSession session) =>
        session.Vendor.Vendor.ResponsibleOfficer is { } person ? new Officer(person.Name, person.Title ?? "", person.Email) : null;

    private static Officer OfficerFrom(IFormCollection form) => new(
        (form["officerName"].LastOrDefault() ?? "").Trim(),
        (form["officerTitle"].LastOrDefault() ?? "").Trim(),
        (form["officerEmail"].LastOrDefault() ?? "").Trim());

    private static Localized FieldLabel(string field) => field switch
    {
        "legalName.ja" or "name" => new("会社名", "Company name"),
        "corporateNumber" => new("法人番号", "Corporate number"),
        "countries.company" or "countries.storage[0]" or "countries.access[0]" => new("所在国", "Country"),
        "scope" => new("業務の範囲", "Scope"),
        "responsibleOfficer.name" => new("担当者名", "Contact name"),
        "responsibleOfficer.email" => new("メールアドレス", "E-mail"),
        _ => new(field, field),
    };

    internal static RazorComponentResult<TComponent> Render<TComponent>(object parameters, int statusCode = 200)
        where TComponent : Microsoft.AspNetCore.Components.IComponent =>
        new(parameters) { StatusCode = statusCode, ContentType = "text/html; charset=utf-8" };

    /// <summary>Links are bearer secrets and these pages hold a vendor's answers: never cached, never framed, no referrer.</summary>
    private static async ValueTask<object?> SecurityHeadersAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var headers = invocation.HttpContext.Response.Headers;
        // "no-cache, no-store" is also what antiforgery sets; saying it first keeps it from warning on every page.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["X-Frame-Options"] = "DENY";
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        return await next(invocation);
    }
}

public sealed record AutosaveResult(int Revision, DateTimeOffset? SavedAt, IReadOnlyList<string> ProblemItems);
