using System.Net;
using System.Text;
using FunctionsPortal.Tests.Evidence;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Responses;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Safety;

/// <summary>What a vendor's own link can send: form values, paths, query strings and files.</summary>
public static partial class HostileCases
{
    private const string Script = "<script>alert(1)</script>";

    // ---- forms, paths and query strings through the vendor's own link ---------------------------------------------

    private static List<HostileCase> Forms()
    {
        var values = new (string Name, (string Name, string Value)[] Fields)[]
        {
            ("script as a status", [("items", "GOV-03"), ("a.GOV-03.status", Script), ("action", "save")]),
            ("markup in a comment", [("items", "GOV-03"), ("a.GOV-03.status", "done"), ("a.GOV-03.comment", "<img src=x onerror=alert(1)>"), ("action", "save")]),
            ("script in a comment", [("items", "GOV-03"), ("a.GOV-03.status", "done"), ("a.GOV-03.comment", Script), ("action", "save")]),
            ("300,000-character comment", [("items", "GOV-03"), ("a.GOV-03.status", "done"), ("a.GOV-03.comment", new string('長', 300_000)), ("action", "save")]),
            ("NUL in a comment", [("items", "GOV-03"), ("a.GOV-03.status", "done"), ("a.GOV-03.comment", "a\0b"), ("action", "save")]),
            ("right-to-left override in a comment", [("items", "GOV-03"), ("a.GOV-03.status", "done"), ("a.GOV-03.comment", "\u202Efdp.exe"), ("action", "save")]),
            ("an item that does not exist", [("items", "XXX-99"), ("a.XXX-99.status", "done"), ("action", "save")]),
            ("an item of another section", [("items", "TRN-01"), ("a.TRN-01.status", "done"), ("action", "save")]),
            ("2,000 items", [("items", string.Join(',', Enumerable.Range(0, 2000).Select(i => $"GOV-{i:D4}"))), ("action", "save")]),
            ("the same field 200 times", [("items", "GOV-03"), .. Enumerable.Range(0, 200).Select(i => ("a.GOV-03.status", i % 2 == 0 ? "done" : "not-done")), ("action", "save")]),
            ("an impossible planned date", [("items", "GOV-03"), ("a.GOV-03.status", "partial"), ("a.GOV-03.plannedOn", "9999-99-99"), ("a.GOV-03.measure", "x"), ("action", "save")]),
            ("a planned date in year 1", [("items", "GOV-03"), ("a.GOV-03.status", "partial"), ("a.GOV-03.plannedOn", "0001-01-01"), ("action", "save")]),
            ("an unknown action", [("items", "GOV-03"), ("a.GOV-03.status", "done"), ("action", "delete-all")]),
            ("no action at all", [("items", "GOV-03"), ("a.GOV-03.status", "done")]),
            ("no fields at all", []),
            ("a number field with text", [("items", "GOV-03"), ("a.GOV-03.number", "1e400"), ("action", "save")]),
            ("choices that do not exist", [("items", "GOV-03"), ("a.GOV-03.choices", "../../x"), ("action", "save")]),
        };
        var cases = values.Select(value => new HostileCase($"section form: {value.Name}", async (world, cancellationToken) =>
        {
            using var browser = world.Browser();
            return await VendorFormClient.PostFormAsync(browser, world.A.Url("/s/governance"), world.A.Url("/s/governance"), value.Fields);
        }, NoScriptOnTheSectionPage)).ToList();

        cases.AddRange(new (string Name, (string Name, string Value)[] Fields)[]
        {
            ("negative revision", [("revision", "-1"), ("officerName", "x"), ("officerTitle", "x"), ("officerEmail", "a@b.example"), ("attest", "1")]),
            ("huge revision", [("revision", "99999999999999999999"), ("officerName", "x"), ("officerTitle", "x"), ("officerEmail", "a@b.example"), ("attest", "1")]),
            ("no attestation", [("revision", "0"), ("officerName", "x"), ("officerTitle", "x"), ("officerEmail", "a@b.example")]),
            ("mail header injection in the officer's address", [("revision", "0"), ("officerName", "x\r\nBcc: evil@example.com"), ("officerTitle", "x"), ("officerEmail", "a@b.example\r\nBcc: evil@example.com"), ("attest", "1")]),
        }.Select(submit => new HostileCase($"submit: {submit.Name}", async (world, cancellationToken) =>
        {
            using var browser = world.Browser();
            // The survey is not complete, so the review page has no form: the token comes from a section page, as a crafted post's would.
            return await VendorFormClient.PostFormAsync(browser, world.A.Url("/s/governance"), world.A.Url("/submit"), submit.Fields);
        }, async (world, response, body, cancellationToken) => await world.StatusOfAAsync(cancellationToken) is "submitted" ? "an incomplete survey was submitted" : null)));

        cases.AddRange(new (string Name, (string Name, string Value)[] Fields)[]
        {
            ("script as a name", [("name", Script), ("country", "JP"), ("contactEmail", "a@b.example"), ("contactName", "x")]),
            ("a corporate number of letters", [("name", "株式会社テスト"), ("corporateNumber", "ABCDEFGHIJKLM"), ("country", "JP")]),
            ("a country that does not exist", [("name", "株式会社テスト"), ("country", "ZZZZ")]),
            ("mail header injection in the contact", [("name", "株式会社テスト"), ("country", "JP"), ("contactEmail", "a@b.example\r\nBcc: evil@example.com")]),
        }.Select(declare => new HostileCase($"declare a subcontractor: {declare.Name}", async (world, cancellationToken) =>
        {
            using var browser = world.Browser();
            return await VendorFormClient.PostFormAsync(browser, world.A.Url("/subcontractors"), world.A.Url("/subcontractors"), declare.Fields);
        }, NoScriptOnThe("/subcontractors"))));

        // The incident report form: each refused (no discovery time), so nothing is stored; what was typed comes back escaped.
        cases.AddRange(new (string Name, (string Name, string Value)[] Fields)[]
        {
            ("script in what happened", [("summary", Script), ("dataCategories", "personal"), ("sensitiveData", "no"), ("financialHarm", "no"), ("unlawfulPurpose", "no")]),
            ("markup in the cause and measures", [("summary", "x"), ("cause", "<img src=x onerror=alert(1)>"), ("measuresTaken", Script)]),
            ("a category that does not exist", [("summary", "x"), ("dataCategories", "../../x"), ("dataCategories", Script)]),
            ("an impossible discovery time", [("summary", "x"), ("discoveredAt", "9999-99-99T99:99"), ("occurredAt", "0001-01-01T00:00")]),
            ("a number of people beyond long", [("summary", "x"), ("affectedPeople", "99999999999999999999999")]),
            ("a 300,000-character account", [("summary", new string('漏', 300_000))]),
            ("mail header injection in the reporter", [("summary", "x"), ("reporterName", "x\r\nBcc: evil@example.com"), ("reporterEmail", "a@b.example\r\nBcc: evil@example.com")]),
            ("a question answered with script", [("summary", "x"), ("sensitiveData", Script), ("financialHarm", "maybe")]),
        }.Select(report => new HostileCase($"incident report: {report.Name}", async (world, cancellationToken) =>
        {
            using var browser = world.Browser();
            return await VendorFormClient.PostFormAsync(browser, world.A.Url("/incidents/new"), world.A.Url("/incidents"), report.Fields);
        }, async (world, response, body, cancellationToken) =>
            response.StatusCode != HttpStatusCode.BadRequest ? $"answered {(int)response.StatusCode}, not 400"
            : body.Contains(Script, StringComparison.Ordinal) || body.Contains("<img src=x onerror", StringComparison.Ordinal) ? "markup from the input came back unescaped"
            : (await world.Services.GetRequiredService<FunctionsPortal.Incidents.IncidentStore>().ListForVendorAsync(world.A.VendorId, cancellationToken)).Count > 0 ? "an incident was stored"
            : null)));

        var paths = new (string Name, Func<HostileWorld, string> Path)[]
        {
            ("section id with traversal", world => world.A.Url("/s/..%2Freview")),
            ("section id with markup", world => world.A.Url("/s/%3Cscript%3E")),
            ("section id of 2,000 characters", world => world.A.Url("/s/" + new string('s', 2000))),
            ("section id with a control character", world => world.A.Url("/s/governance%01")),
            ("evidence id with traversal", world => world.A.Url("/evidence/..%2F..%2Fsecret")),
            ("evidence id of another vendor's file", world => world.A.Url("/evidence/" + world.BEvidenceId)),
            ("receipt 0", world => world.A.Url("/receipts/0")),
            ("receipt -1", world => world.A.Url("/receipts/-1")),
            ("receipt beyond int", world => world.A.Url("/receipts/99999999999")),
            ("download of a receipt never sealed", world => world.A.Url("/receipts/1/download")),
            ("answers of a version never sealed", world => world.A.Url("/answers/1")),
            ("another vendor's corrective action", world => world.A.Url($"/actions/{world.B.VendorId}.00000000")),
            ("a corrective action id with traversal", world => world.A.Url("/actions/..%2F..%2Fx")),
            ("an incident id that is no incident", world => world.A.Url("/incidents/inc-20260101-abcdef")),
            ("an incident id with traversal", world => world.A.Url("/incidents/..%2F..%2Fx")),
            ("5,000 query parameters", world => world.A.Url("/review?" + string.Join('&', Enumerable.Range(0, 5000).Select(i => $"p{i}=1")))),
            ("a 60,000-character query value", world => world.A.Url("/review?q=" + new string('q', 60_000))),
            ("broken percent-encoding in the query", world => world.A.Url("/review?q=%E3%81")),
        };
        cases.AddRange(paths.Select(path => Get($"vendor path: {path.Name}", path.Path, (world, response, body) =>
            path.Name.StartsWith("5,000", StringComparison.Ordinal) || path.Name.StartsWith("a 60,000", StringComparison.Ordinal) || path.Name.StartsWith("broken", StringComparison.Ordinal)
                ? null
                : OpenedNothing(world, response, body))));

        var returns = new[] { "//evil.example/", "https://evil.example/", "/v/{token}/../../staff", "javascript:alert(1)", "/v/{token}\\evil.example", "%2F%2Fevil.example" };
        cases.AddRange(returns.Select(back => Get($"language switch back to {back}", world => world.A.Url($"/lang/en?back={Uri.EscapeDataString(back.Replace("{token}", world.A.Token, StringComparison.Ordinal))}"),
            (world, response, body) => response.Headers.Location?.OriginalString is { } location && location != world.A.Url() && !location.StartsWith(world.A.Url() + "/", StringComparison.Ordinal)
                ? $"redirected to {location}" : null)));
        return cases;
    }

    private static async Task<string?> NoScriptOnTheSectionPage(HostileWorld world, HttpResponseMessage response, string body, CancellationToken cancellationToken) =>
        await NoScriptOnThe("/s/governance")(world, response, body, cancellationToken);

    /// <summary>After the post, the page that shows what was saved carries no live markup from the input.</summary>
    private static Func<HostileWorld, HttpResponseMessage, string, CancellationToken, Task<string?>> NoScriptOnThe(string page) => async (world, response, body, cancellationToken) =>
    {
        using var browser = world.Browser();
        using var shown = await browser.GetAsync(world.A.Url(page), cancellationToken);
        var html = await shown.Content.ReadAsStringAsync(cancellationToken);
        return new[] { body, html }.Any(text => text.Contains(Script, StringComparison.Ordinal) || text.Contains("<img src=x onerror", StringComparison.Ordinal))
            ? "markup from the input came back unescaped" : null;
    };

    // ---- uploads ---------------------------------------------------------------------------------------------------

    private static List<HostileCase> Uploads()
    {
        var refused = new (string Name, string FileName, Func<byte[]> Content)[]
        {
            ("an executable named .pdf", "manual.pdf", () => [.. "MZ"u8, .. new byte[510]]),
            ("an ELF binary named .pdf", "manual.pdf", () => [0x7F, .. "ELF"u8, .. new byte[60]]),
            ("HTML named .pdf", "policy.pdf", () => Encoding.UTF8.GetBytes("<html><body><script>alert(1)</script></body></html>")),
            ("HTML named .txt", "policy.txt", () => Encoding.UTF8.GetBytes("<!doctype html><script>alert(1)</script>")),
            ("SVG named .png", "logo.png", () => Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")),
            ("SVG as .svg", "logo.svg", () => Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")),
            ("a PHP script named .txt", "notes.txt", () => Encoding.UTF8.GetBytes("<?php system($_GET['c']); ?>")),
            ("a plain ZIP named .docx", "policy.docx", () => Zip(("payload.exe", [.. "MZ"u8, .. new byte[100]]))),
            ("a ZIP as .zip", "bundle.zip", () => Zip(("a.txt", "a"u8.ToArray()))),
            ("a macro document named .docx", "policy.docx", () => Zip(("[Content_Types].xml", "<Types/>"u8.ToArray()), ("word/document.xml", "<w/>"u8.ToArray()), ("word/vbaProject.bin", [0xD0, 0xCF, 0x11, 0xE0]))),
            ("an empty file", "empty.pdf", () => []),
            ("a file over the size limit", "huge.pdf", () => [.. SurveyScenario.Pdf(), .. new byte[70_000]]),
            ("a PNG named .pdf", "scan.pdf", () => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]),
            ("a batch file named .txt", "run.txt", () => Encoding.ASCII.GetBytes("@echo off\r\nformat c: /y\r\n\0")),
            ("a bare compound-file header named .doc", "old.doc", () => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]]),
            ("a Word 97-2003 file with a VBA project", "macro.doc", () => WithStorages(OfficeSamples.Doc(), "Macros", "VBA")),
            ("an Excel 97-2003 file with a VBA project", "macro.xls", () => WithStorages(OfficeSamples.Xls(), "_VBA_PROJECT_CUR", "VBA")),
            ("a Word 97-2003 file carrying a package", "package.doc", () => OfficeSamples.Doc().AddStream("\u0001Ole10Native", [.. "MZ"u8, .. new byte[200]]).ToArray()),
            ("a password-protected workbook", "locked.xlsx", OfficeSamples.EncryptedOoxml),
            ("a VBA project declared under an image's name", "image.docx", () => OfficeSamples.Package(declarations: ["<Override PartName=\"/word/media/image1.png\" ContentType=\"application/vnd.ms-office.vbaProject\"/>"], parts: ("word/media/image1.png", "x"))),
            ("a remote template", "template.docx", () => OfficeSamples.Package(mainRelationships: [OfficeSamples.Rel("rId5", "attachedTemplate", "https://attacker.example/t.dotm", external: true)])),
            ("an ActiveX control", "control.docx", () => OfficeSamples.Package(declarations: ["<Override PartName=\"/word/activeX/activeX1.xml\" ContentType=\"application/vnd.ms-office.activeX+xml\"/>"], parts: ("word/activeX/activeX1.xml", "<ax/>"))),
        };
        var cases = refused.Select(file => Upload($"refused: {file.Name}", file.FileName, file.Content, (world, draft) =>
            draft.Evidence.Any(stored => stored.FileName == file.FileName) ? $"{file.FileName} was stored" : null)).ToList();

        var names = new (string Name, string FileName)[]
        {
            ("traversal in the name", "../../../etc/passwd.pdf"),
            ("a Windows path", @"C:\Windows\System32\evil.pdf"),
            ("encoded line breaks in the name", "a%0D%0AX-Injected: 1.pdf"),
            ("a tab in the name", "a\tb.pdf"),
            ("a 600-character name", new string('n', 600) + ".pdf"),
            ("NUL in the name", "a\0b.pdf"),
            ("right-to-left override in the name", "gpj\u202Eexe.pdf"),
            ("markup in the name", "<img src=x onerror=alert(1)>.pdf"),
            ("quotes in the name", "\"; filename=evil.exe; x=\".pdf"),
        };
        cases.AddRange(names.Select(name => Upload($"name: {name.Name}", name.FileName, () => SurveyScenario.Pdf(), (world, draft) =>
            draft.Evidence.Count > 0 && draft.Evidence[0] is { } stored && (stored.FileName.Contains('/', StringComparison.Ordinal) || stored.FileName.Contains('\\', StringComparison.Ordinal)
                || stored.FileName.Any(char.IsControl) || stored.FileName.Contains('\u202E', StringComparison.Ordinal))
                ? $"stored as '{stored.FileName}'" : null, checkDownload: true)));
        cases.Add(Upload("twelve files at once", "many.pdf", () => SurveyScenario.Pdf(), (world, draft) => draft.Evidence.Sum(file => file.Size) > 1048576 ? "over the assignment's allowance" : null, copies: 12));
        cases.Add(Upload("a file for an item that does not exist", "ghost.pdf", () => SurveyScenario.Pdf(), (world, draft) =>
            draft.Evidence.Any(file => file.ItemId == "XXX-99") ? "stored for an item that does not exist" : null, field: "f.XXX-99"));
        return cases;
    }

    private static HostileCase Upload(string name, string fileName, Func<byte[]> content, Func<HostileWorld, Draft, string?> stored,
        int copies = 1, string field = "f.GOV-03", bool checkDownload = false) =>
        new($"upload {name}", async (world, cancellationToken) =>
        {
            var invited = await SurveyScenario.InviteAsync(world.Services, cancellationToken, checklistId: "annual-full");
            using var browser = world.Browser();
            var html = await VendorFormClient.PageAsync(browser, invited.Url("/s/governance"));
            using var form = new MultipartFormDataContent
            {
                { new StringContent(VendorFormClient.AntiforgeryToken(html)), "__RequestVerificationToken" },
                { new StringContent("GOV-03"), "items" },
                { new StringContent("done"), "a.GOV-03.status" },
                { new StringContent("save"), "action" },
            };
            foreach (var bytes in Enumerable.Repeat(content(), copies))
            {
                // Written by hand: HttpClient would refuse the hostile names a crafted request carries.
                var part = new ByteArrayContent(bytes);
                part.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"{field}\"; filename=\"{fileName}\"");
                part.Headers.TryAddWithoutValidation("Content-Type", "application/octet-stream");
                form.Add(part);
            }

            var response = await browser.PostAsync(invited.Url("/s/governance"), form, cancellationToken);
            response.RequestMessage!.Options.Set(UploadedTo, invited);
            return response;
        }, async (world, response, body, cancellationToken) =>
        {
            var invited = response.RequestMessage!.Options.TryGetValue(UploadedTo, out var value) ? value : throw new InvalidOperationException("no vendor");
            var draft = await world.Services.GetRequiredService<DraftStore>().GetAsync(invited.Assignment.Key, cancellationToken);
            if (stored(world, draft) is { } problem)
            {
                return problem;
            }

            if (!checkDownload || draft.Evidence.Count == 0 || draft.Evidence[0] is not { } file)
            {
                return null;
            }

            using var browser = world.Browser();
            using var download = await browser.GetAsync(invited.Url($"/evidence/{file.Id}"), cancellationToken);
            var disposition = download.Content.Headers.ContentDisposition?.ToString() ?? "";
            return download.StatusCode != HttpStatusCode.OK ? $"download answered {(int)download.StatusCode}"
                : disposition.Any(char.IsControl) || !disposition.StartsWith("attachment", StringComparison.Ordinal) ? $"served as '{disposition}'"
                : download.Content.Headers.ContentType?.MediaType != "application/pdf" ? $"served as {download.Content.Headers.ContentType}"
                : null;
        });

    /// <summary>A compound file with a storage holding a stream under it (where Office keeps a VBA project).</summary>
    private static byte[] WithStorages(CompoundFileWriter file, string storage, string stream)
    {
        var parent = file.AddStorage(storage);
        file.AddStream(stream, [.. "Attribute VB_Name"u8, .. new byte[64]], parent);
        return file.ToArray();
    }

    private static readonly HttpRequestOptionsKey<InvitedVendor> UploadedTo = new("hostile-upload-vendor");
}
