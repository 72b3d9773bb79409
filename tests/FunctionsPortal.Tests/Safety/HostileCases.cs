using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Safety;

/// <summary>
/// The hostile inputs, by what they attack. Each list is data: a name, a request, and how a bypass would show.
/// Cases never depend on each other: those that change something change only their own vendor's draft or fail to.
/// </summary>
public static partial class HostileCases
{
    // Built on first use: the lists read static fields of the other partial files, initialised after this one's.
    private static IReadOnlyDictionary<string, IReadOnlyList<HostileCase>>? _byCategory;

    public static IReadOnlyDictionary<string, IReadOnlyList<HostileCase>> ByCategory => _byCategory ??= new Dictionary<string, IReadOnlyList<HostileCase>>(StringComparer.Ordinal)
    {
        ["tokens"] = Tokens(),
        ["staff-auth"] = StaffAuth(),
        ["csrf"] = Csrf(),
        ["forms"] = Forms(),
        ["uploads"] = Uploads(),
        ["imports"] = Imports(),
        ["exports"] = Exports(),
        ["sealing"] = Sealing(),
        ["headers"] = Headers(),
        ["staff-input"] = StaffInput(),
    };

    // ---- shared pieces -------------------------------------------------------------------------------------------

    private static HostileCase Get(string name, Func<HostileWorld, string> path, Func<HostileWorld, HttpResponseMessage, string, string?>? bypass = null, bool staff = false, string? roles = null) =>
        new(name, async (world, cancellationToken) =>
        {
            using var client = roles is null ? world.Browser() : world.Staff(roles);
            return await client.GetAsync(path(world), cancellationToken);
        }, bypass is null ? null : (world, response, body, _) => Task.FromResult(bypass(world, response, body)), staff || roles is not null);

    private static HostileCase Send(string name, Func<HostileWorld, HttpRequestMessage> request, Func<HostileWorld, HttpResponseMessage, string, CancellationToken, Task<string?>>? bypass = null, string? roles = null) =>
        new(name, async (world, cancellationToken) =>
        {
            using var client = roles is null ? world.Browser() : world.Staff(roles);
            using var message = request(world);
            return await client.SendAsync(message, cancellationToken);
        }, bypass, roles is not null);

    /// <summary>A guessed or foreign address opened nothing: no vendor page (a form, a section, a survey's name) came back.</summary>
    private static string? OpenedNothing(HostileWorld world, HttpResponseMessage response, string body) =>
        response.StatusCode is HttpStatusCode.OK && (body.Contains("__RequestVerificationToken", StringComparison.Ordinal) && body.Contains("/v/", StringComparison.Ordinal)
            || body.Contains("GOV-0", StringComparison.Ordinal) || body.Contains(world.A.Token, StringComparison.Ordinal) || body.Contains("%PDF", StringComparison.Ordinal) || body.Contains("\"payload\"", StringComparison.Ordinal))
            ? $"answered 200 with a vendor's page or file ({body.Length} characters)" : null;

    /// <summary>Staff-only: the answer must be a refusal (401, 403, or a redirect to a sign-in).</summary>
    private static string? RefusedToStrangers(HostileWorld world, HttpResponseMessage response, string body) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        || (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found && response.Headers.Location?.OriginalString.Contains("sign-in", StringComparison.Ordinal) == true)
            ? null
            : $"answered {(int)response.StatusCode}";

    private static string? ClientError(HostileWorld world, HttpResponseMessage response, string body) =>
        (int)response.StatusCode is >= 400 and < 500 ? null : $"answered {(int)response.StatusCode}, not a refusal";

    private static HttpRequestMessage Json(HttpMethod method, string path, string json) =>
        new(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static HttpRequestMessage Bytes(string path, byte[] content, string mediaType) =>
        new(HttpMethod.Post, path) { Content = new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } } };

    private static HttpRequestMessage Form(string path, params (string Name, string Value)[] fields) =>
        new(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields.Select(field => KeyValuePair.Create(field.Name, field.Value))) };

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.Optimal).Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    // ---- tokens --------------------------------------------------------------------------------------------------

    private static List<HostileCase> Tokens()
    {
        var guesses = new (string Name, Func<HostileWorld, string> Token)[]
        {
            ("one character", _ => "x"),
            ("4,096 characters", _ => new string('a', 4096)),
            ("a control character", _ => "%01"),
            ("encoded traversal", _ => "..%2F..%2Fetc%2Fpasswd"),
            ("dot-dot", _ => "%2e%2e"),
            ("SQL", _ => "'%20OR%201%3D1--"),
            ("script", _ => "%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
            ("right-to-left override", _ => "%E2%80%AE"),
            ("overlong UTF-8", _ => "%C0%AF"),
            ("invalid UTF-8", _ => "%FF%FE"),
            ("all zeros", _ => new string('0', 43)),
            ("real token upper-cased", world => world.A.Token.ToUpperInvariant()),
            ("real token, last character cut", world => world.A.Token[..^1]),
            ("real token with a suffix", world => world.A.Token + "x"),
            ("real token with a control character", world => world.A.Token + "%01"),
            ("real token with a leading space", world => "%20" + world.A.Token),
            ("assets folder as a token", _ => "assets"),
            ("another vendor's key", world => world.B.Assignment.Key),
        };
        var pages = new[] { "", "/review", "/s/governance", "/receipts/1" };
        return [.. guesses.SelectMany(guess => pages.Take(guess.Name.StartsWith("real", StringComparison.Ordinal) ? 4 : 2)
            .Select(page => Get($"token: {guess.Name} {page}".TrimEnd(), world => $"/v/{guess.Token(world)}{page}", OpenedNothing)))];
    }

    // ---- staff authentication and roles ---------------------------------------------------------------------------

    private static List<HostileCase> StaffAuth()
    {
        var anonymous = new Func<HostileWorld, string>[]
        {
            _ => "/staff", _ => "/staff/vendors", world => $"/staff/vendors/{world.B.VendorId}", world => $"/staff/assignments/{world.B.Assignment.Key}",
            _ => "/staff/actions", _ => "/staff/campaigns", _ => "/api/vendors", world => $"/api/vendors/{world.B.VendorId}", _ => "/api/assignments",
            _ => "/api/audit", _ => "/api/exports/vendors.csv", world => $"/api/assignments/{world.B.Assignment.Key}/submissions",
            _ => "/api/corrective-actions", _ => "/api/operations/poison", _ => "/staff/incidents", world => $"/staff/vendors/{world.B.VendorId}/incidents/new",
        };
        var cases = anonymous.Select((path, i) => Get($"anonymous read #{i + 1}", path, RefusedToStrangers)).ToList();
        var forgedPrincipal = Convert.ToBase64String(Utf8("""{"auth_typ":"aad","claims":[{"typ":"roles","val":"Portal.Admin"},{"typ":"name","val":"evil"}],"name_typ":"name","role_typ":"roles"}"""));
        cases.Add(Send("forged Easy Auth principal outside Azure", _ => new HttpRequestMessage(HttpMethod.Get, "/api/vendors") { Headers = { { "X-MS-CLIENT-PRINCIPAL", forgedPrincipal } } }, (w, r, b, _) => Task.FromResult(RefusedToStrangers(w, r, b))));
        cases.Add(Send("forged Easy Auth principal, garbage", _ => new HttpRequestMessage(HttpMethod.Get, "/api/vendors") { Headers = { { "X-MS-CLIENT-PRINCIPAL", "!!!not base64" } } }, (w, r, b, _) => Task.FromResult(RefusedToStrangers(w, r, b))));
        cases.Add(Get("a role we never grant", _ => "/api/vendors", RefusedToStrangers, roles: "Portal.Superuser"));
        var reviewerWrites = new (string Name, Func<HostileWorld, HttpRequestMessage> Request)[]
        {
            ("create a vendor", _ => Json(HttpMethod.Post, "/api/vendors", "{}")),
            ("decide a prior approval", world => Json(HttpMethod.Put, $"/api/vendors/{world.B.VendorId}/prior-approval", """{"status":"approved"}""")),
            ("launch a campaign", _ => Json(HttpMethod.Post, "/api/campaigns", "{}")),
            ("revoke a link", world => new HttpRequestMessage(HttpMethod.Post, $"/api/assignments/{world.A.Assignment.Key}/revoke-link")),
            ("cancel a survey", world => Json(HttpMethod.Post, $"/api/assignments/{world.A.Assignment.Key}/cancel", """{"reason":"x"}""")),
            ("import a checklist", _ => Json(HttpMethod.Post, "/api/checklists", "{}")),
            ("redrive a poison queue", _ => new HttpRequestMessage(HttpMethod.Post, "/api/operations/poison/send-survey-mail/redrive")),
            ("import vendors", _ => Bytes("/api/vendors/import", Utf8("id\n"), "text/csv")),
            ("override a risk tier", world => Json(HttpMethod.Put, $"/api/vendors/{world.B.VendorId}/risk-override", """{"tier":"low","reason":"x"}""")),
        };
        cases.AddRange(reviewerWrites.Select(write => Send($"reviewer may not {write.Name}", write.Request, async (world, response, body, cancellationToken) =>
            response.StatusCode != HttpStatusCode.Forbidden ? $"answered {(int)response.StatusCode}"
            : await world.StatusOfAAsync(cancellationToken) is "revoked" or "cancelled" ? "the survey changed" : null, roles: "Portal.Reviewer")));
        return cases;
    }

    // ---- cross-site request forgery -------------------------------------------------------------------------------

    private static List<HostileCase> Csrf()
    {
        var cases = new List<HostileCase>
        {
            VendorPost("section without a token", "/s/governance", withToken: false, ("items", "GOV-03"), ("a.GOV-03.status", "done"), ("action", "save")),
            VendorPost("section with a forged token", "/s/governance", withToken: false, ("__RequestVerificationToken", "CfDJ8forged"), ("items", "GOV-03"), ("a.GOV-03.status", "done"), ("action", "save")),
            VendorPost("submit without a token", "/submit", withToken: false, ("revision", "1"), ("officerName", "x"), ("attest", "1")),
            VendorPost("declare a subcontractor without a token", "/subcontractors", withToken: false, ("name", "偽装会社"), ("country", "JP")),
            VendorPost("report an incident without a token", "/incidents", withToken: false, ("summary", "偽の報告"), ("discoveredAt", "2026-01-01T10:00"), ("dataCategories", "personal"),
                ("sensitiveData", "no"), ("financialHarm", "no"), ("unlawfulPurpose", "no")),
            new("section with another browser's token", async (world, cancellationToken) =>
            {
                using var other = world.Browser();
                var html = await VendorFormClient.PageAsync(other, world.A.Url("/s/governance"));
                using var victim = world.Browser();
                return await VendorFormClient.PostPageFormAsync(victim, html, world.A.Url("/s/governance"), [("items", "GOV-03"), ("a.GOV-03.status", "done"), ("action", "save")]);
            }, NothingSavedForA),
        };
        var staffForms = new (string Name, Func<HostileWorld, string> Path)[]
        {
            ("accept", world => $"/staff/assignments/{world.A.Assignment.Key}/accept"),
            ("request changes", world => $"/staff/assignments/{world.A.Assignment.Key}/request-changes"),
            ("internal note", world => $"/staff/assignments/{world.A.Assignment.Key}/notes"),
            ("reassess", world => $"/staff/assignments/{world.A.Assignment.Key}/reassess"),
            ("resend", world => $"/staff/assignments/{world.A.Assignment.Key}/resend"),
            ("revoke the link", world => $"/staff/assignments/{world.A.Assignment.Key}/revoke-link"),
            ("cancel", world => $"/staff/assignments/{world.A.Assignment.Key}/cancel"),
            ("move the due date", world => $"/staff/assignments/{world.A.Assignment.Key}/due-date"),
            ("edit a profile", world => $"/staff/vendors/{world.A.VendorId}/profile"),
            ("override a tier", world => $"/staff/vendors/{world.A.VendorId}/risk-override"),
            ("decide a prior approval", world => $"/staff/vendors/{world.A.VendorId}/prior-approval"),
            ("set a management level", world => $"/staff/vendors/{world.A.VendorId}/management-level"),
            ("record an incident", world => $"/staff/vendors/{world.A.VendorId}/occurrences"),
            ("record a contract document", world => $"/staff/vendors/{world.A.VendorId}/contracts"),
            ("record a certificate's expiry", world => $"/staff/vendors/{world.A.VendorId}/certificates"),
            ("launch a campaign", _ => "/staff/campaigns"),
            ("verify a corrective action", world => $"/staff/actions/{world.A.VendorId}.0000abcd/verify"),
            ("record an incident of a vendor", world => $"/staff/vendors/{world.A.VendorId}/incidents"),
            ("record a preliminary report", _ => "/staff/incidents/inc-20260101-abcdef/preliminary-reported"),
            ("record a final report", _ => "/staff/incidents/inc-20260101-abcdef/final-reported"),
            ("close an incident", _ => "/staff/incidents/inc-20260101-abcdef/close"),
        };
        cases.AddRange(staffForms.Select(form => new HostileCase($"staff form without a token: {form.Name}", async (world, cancellationToken) =>
        {
            using var staff = await world.StaffBrowserAsync("Portal.Admin");
            using var post = Form(form.Path(world), ("reason", "forged"), ("message", "forged"), ("note", "forged"), ("dueOn", "2030-01-01"), ("status", "approved"));
            return await staff.SendAsync(post, cancellationToken);
        }, async (world, response, body, cancellationToken) =>
            response.StatusCode != HttpStatusCode.BadRequest ? $"answered {(int)response.StatusCode}, not 400"
            : await world.StatusOfAAsync(cancellationToken) is "revoked" or "cancelled" ? "the survey changed" : null, StaffAnswer: true)));
        cases.Add(Send("development sign-in without a token", _ => Form("/staff/dev-sign-in", ("Name", "evil"), ("Role", "Portal.Admin")), (world, response, body, _) =>
            Task.FromResult(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(cookie => cookie.StartsWith("portal-dev-staff=", StringComparison.Ordinal) && !cookie.StartsWith("portal-dev-staff=;", StringComparison.Ordinal))
                ? "signed in without a token" : ClientError(world, response, body))));
        return cases;
    }

    private static HostileCase VendorPost(string name, string page, bool withToken, params (string Name, string Value)[] fields) =>
        new($"vendor form: {name}", async (world, cancellationToken) =>
        {
            using var browser = world.Browser();
            if (withToken)
            {
                return await VendorFormClient.PostFormAsync(browser, world.A.Url(page.StartsWith("/s/", StringComparison.Ordinal) ? page : "/review"), world.A.Url(page), fields);
            }

            // A page loaded first: the antiforgery cookie is there, as in a browser a hostile site drives.
            await VendorFormClient.PageAsync(browser, world.A.Url("/review"));
            return await VendorFormClient.PostPageFormAsync(browser, "", world.A.Url(page), fields, withAntiforgery: false);
        }, NothingSavedForA);

    private static async Task<string?> NothingSavedForA(HostileWorld world, HttpResponseMessage response, string body, CancellationToken cancellationToken)
    {
        var draft = await world.DraftOfAAsync(cancellationToken);
        return response.StatusCode != HttpStatusCode.BadRequest ? $"answered {(int)response.StatusCode}, not 400"
            : draft.Answers.ContainsKey("GOV-03") ? "the answer was saved"
            : await world.StatusOfAAsync(cancellationToken) is "submitted" ? "the survey was submitted"
            : null;
    }
}
