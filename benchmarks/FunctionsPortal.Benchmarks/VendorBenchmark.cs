using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime;
using System.Text.Json;
using FunctionsPortal.Responses;
using FunctionsPortal.Submissions;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Benchmarks;

/// <summary>
/// Vendor-pages benchmark (<c>npm run bench -- vendor</c>): the portal on real Kestrel over loopback, Azurite behind it,
/// simulated vendor browsers in front (plain HttpClients with their own cookies). Scenarios:
/// 1. survey page — N clients, each its own invited vendor, GET their section pages in turn for a fixed window;
/// 2. draft save — the same clients POST the governance section form (302), then the autosave variant (200 JSON);
/// 3. submission — whole journeys (answer every section, upload 1 MiB PDFs, review, attest, submit, receipt), first
///    one after another, then several at once; every receipt verified through the staff API;
/// 4. the survey page again with a realistically sized vendor registry (every vendor page reads the whole registry);
/// then the process's memory. Everything but Azurite (its own node process) shares this process: the portal and clients.
/// Before them, the wall: the same number of clients doing raw SDK point reads of one entity on the same Azurite for the
/// same time. Every scenario counts the storage round trips the portal reports (Server-Timing) per request, and the
/// section page is held to the wall: its req/s against raw point reads/s ÷ its round trips (target ≥ 0.5).
/// </summary>
internal static class VendorBenchmark
{
    private const int EvidenceFiles = 5;
    private const int EvidenceBytes = 1024 * 1024;
    private const string StaffHeader = "bench@example.com; Portal.Admin";
    private const string Area = "Vendor pages";

    /// <summary>The wall and the section page alternate in this many slices of the window.</summary>
    private const int WallSlices = 4;

    private static readonly TimeSpan SliceRamp = TimeSpan.FromSeconds(0.5);

    /// <summary>Section page views before anything is measured, for the JIT to reach its optimised code (tiered compilation).</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(15);

    private static readonly string[] Options = ["--clients", "--duration", "--warmup", "--journeys", "--concurrency", "--registry"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.FirstOrDefault(arg => arg.StartsWith("--", StringComparison.Ordinal) && !Options.Contains(arg)) is { } unknown)
        {
            Console.Error.WriteLine($"Unknown option {unknown}: the vendor benchmark takes {string.Join(", ", Options.Select(option => option + " N"))}.");
            return 2;
        }

        var clients = Option(args, "--clients", 20);
        var duration = TimeSpan.FromSeconds(Option(args, "--duration", 20));
        var warmup = TimeSpan.FromSeconds(Option(args, "--warmup", 3));
        var journeys = Option(args, "--journeys", 10);
        var concurrency = Option(args, "--concurrency", 5);
        var registrySize = Option(args, "--registry", 1000);
        var cancellation = CancellationToken.None;
        var gc = GCSettings.IsServerGC ? "server GC" : "workstation GC";
        Report.Line($"FunctionsPortal vendor-pages benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {gc}, Release={IsRelease}, load average before the run {LoadAverage()}");

        var setup = Stopwatch.StartNew();
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_FUNCTIONSPORTAL", Path.Combine(RepositoryRoot.Path, "src", "FunctionsPortal"));
        await using var azurite = new AzuriteProcess();
        await azurite.StartAsync(cancellation);
        await using var portal = new KestrelPortal(azurite.ConnectionString, "vb" + Guid.NewGuid().ToString("N")[..8]);
        var baseAddress = portal.Start();
        var services = portal.Services;
        await VendorSetup.EnsureChecklistsAsync(services, cancellation);

        var invited = new List<InvitedVendor>();
        for (var i = 0; i < clients; i++)
        {
            invited.Add(await VendorSetup.InviteAsync(services, cancellation));
        }

        var session = (await services.GetRequiredService<VendorSessions>().LoadAsync(invited[0].Token, cancellation)).Session
            ?? throw new InvalidOperationException("The first benchmark link does not open.");
        var plan = AnswerPlan.For(session, EvidenceFiles);
        var sectionIds = plan.Sections.Select(section => section.Id).ToList();
        var browsers = invited.Select(vendor => new Browser(baseAddress)).ToList();
        try
        {
            var pageSizes = new List<int>();
            foreach (var id in sectionIds)
            {
                pageSizes.Add((await browsers[0].PageAsync(invited[0].Url($"/s/{id}"), cancellation)).Length);
            }

            Report.Line($"Portal on Kestrel at {baseAddress} (Development, jobs off), Azurite in memory; setup {setup.Elapsed.TotalSeconds:F1} s and {SettleTime.TotalSeconds:0} s of section page views (not measured)");
            Report.Line($"Checklist {VendorSetup.ChecklistId} v1: {plan.Askable} items askable of {session.Checklist!.Items.Count()} for the benchmark vendor " +
                        $"(call centre, every data category and work location, storage abroad, no subcontractors), {sectionIds.Count} section pages " +
                        $"of {Report.N(pageSizes.Min() / 1024d)}–{Report.N(pageSizes.Max() / 1024d)} KiB HTML");
            Report.Line("");

            var allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);
            var collectionsAtStart = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var clientsWithVendors = browsers.Select((browser, index) => (Browser: browser, Vendor: invited[index], Index: index)).ToList();

            // 0 and 1. The wall (what this Azurite answers to plain SDK point reads of one entity from as many clients) and the
            // survey page (each client walks its own vendor's sections, one GET after another), in alternating slices of the
            // window: load from outside this process (these cores are shared) then falls on both alike.
            Task<string?> ViewSectionAsync((Browser Browser, InvitedVendor Vendor, int Index) client, int n, CancellationToken token) =>
                client.Browser.GetStatusAsync(client.Vendor.Url($"/s/{sectionIds[(n + client.Index) % sectionIds.Count]}"), token);

            // Not measured: the first seconds of a fresh process run code the JIT has not optimised yet (the page is measured as it runs for good).
            await LoadRun.RunAsync(clientsWithVendors, ViewSectionAsync, SettleTime, TimeSpan.Zero);
            var tally = Tally.Of(browsers);
            var (raw, surveyPage) = await AgainstTheWallAsync(azurite.ConnectionString, clients, warmup, duration, (sliceWarmup, slice) =>
                LoadRun.RunAsync(clientsWithVendors, ViewSectionAsync, sliceWarmup, slice));
            var pageOps = tally.PerRequestSince(browsers);
            Report.Load("raw point read", raw);
            Report.Load("survey page", surveyPage);
            Report.Line($"{"",-Report.Width}{pageOps:0.##} storage operations per page view (Server-Timing, mean over the run); one view: {await ProbeAsync(browsers[0], invited[0].Url($"/s/{sectionIds[1]}"), cancellation)}");
            var pagesAtTheWall = raw.Throughput / Math.Max(1, pageOps);
            var wallRatio = surveyPage.Throughput / pagesAtTheWall;
            Report.Line($"{"  against the wall",-Report.Width}{Report.N(raw.Throughput)} raw point reads/s ÷ {pageOps:0.##} operations = {Report.N(pagesAtTheWall)} pages/s at best; " +
                        $"the section page makes {Report.N(surveyPage.Throughput)} req/s = {wallRatio:0.00} of that (target ≥ 0.5: {(wallRatio >= 0.5 ? "met" : "NOT met")})");

            // 2. Draft save: the governance form as the page would post it; the antiforgery token fetched once per client.
            var governance = plan.Sections[0];
            var tokens = new string[clients];
            foreach (var (browser, vendor, index) in clientsWithVendors)
            {
                tokens[index] = Browser.AntiforgeryToken(await browser.PageAsync(vendor.Url($"/s/{governance.Id}"), cancellation));
            }

            var governanceItems = string.Join(",", session.Checklist.Sections.Single(section => section.Id == governance.Id).Items.Where(session.CanEverApply).Select(item => item.Id));
            IEnumerable<(string Name, string Value)> DraftFields(int n) =>
                [("items", governanceItems), .. governance.Fields.Select(field => field.Name.EndsWith(".comment", StringComparison.Ordinal) ? (field.Name, $"{field.Value} #{n}") : field), ("action", "save")];

            tally = Tally.Of(browsers);
            var draftSave = await LoadRun.RunAsync(clientsWithVendors, async (client, n, token) =>
            {
                var url = client.Vendor.Url($"/s/{governance.Id}");
                using var response = await client.Browser.PostFormAsync(url, tokens[client.Index], DraftFields(n), token);
                return response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString == url
                    ? null
                    : $"POST {Browser.Shorten(url)} answered {(int)response.StatusCode} → {Browser.Shorten(response.Headers.Location?.OriginalString ?? "")}";
            }, warmup, duration);
            var saveOps = tally.PerRequestSince(browsers);
            Report.Load("draft save (302)", draftSave);
            Report.Line($"{"",-Report.Width}{saveOps:0.##} storage operations per draft save (mean over the run)");

            tally = Tally.Of(browsers);
            var autosave = await LoadRun.RunAsync(clientsWithVendors, async (client, n, token) =>
            {
                var url = client.Vendor.Url($"/s/{governance.Id}");
                using var response = await client.Browser.PostFormAsync(url, tokens[client.Index], DraftFields(n), token, autosave: true);
                var body = await response.Content.ReadAsStringAsync(token);
                return response.StatusCode == HttpStatusCode.OK && body.Contains("\"revision\"", StringComparison.Ordinal)
                    ? null
                    : $"autosave POST {Browser.Shorten(url)} answered {(int)response.StatusCode}";
            }, warmup, duration);
            var autosaveOps = tally.PerRequestSince(browsers);
            Report.Load("autosave (200 JSON)", autosave);
            Report.Line($"{"",-Report.Width}{autosaveOps:0.##} storage operations per autosave (mean over the run); one save: {await ProbeSaveAsync(browsers[0], invited[0].Url($"/s/{governance.Id}"), tokens[0], DraftFields(-1), cancellation)}");
            var revisions = (await Task.WhenAll(invited.Select(vendor => services.GetRequiredService<DraftStore>().GetAsync(vendor.Assignment.Key, cancellation)))).Sum(draft => draft.Revision);
            Report.Line($"{"",-Report.Width}{Report.N(revisions)} draft revisions stored in all (each save is a read and a conditional write of the draft blob)");
            Report.Line("");

            // 3. Submission journeys.
            var pdf = AnswerPlan.Pdf(EvidenceBytes);
            Report.Line($"submission: {plan.Answers} answers ({plan.Askable} askable; {plan.WithoutDocument} items that would want a document answered ×/0 points instead), " +
                        $"{plan.EvidenceFiles} × {EvidenceBytes / 1024 / 1024} MiB PDF ({string.Join(", ", plan.Sections.SelectMany(section => section.EvidenceItems))}) uploaded through the section form, one file per POST");
            using var staff = new Browser(baseAddress, StaffHeader);
            await JourneyAsync(baseAddress, await VendorSetup.InviteAsync(services, cancellation), plan, pdf, services, staff, cancellation); // warm-up, not counted
            var sequential = new List<JourneyResult>();
            var sequentialVendors = await InviteManyAsync(services, journeys, cancellation);
            var sequentialWall = Stopwatch.StartNew();
            foreach (var vendor in sequentialVendors)
            {
                sequential.Add(await JourneyAsync(baseAddress, vendor, plan, pdf, services, staff, cancellation));
            }

            ReportJourneys("sequential", 1, sequential, sequentialWall.Elapsed);
            var concurrentVendors = await InviteManyAsync(services, journeys, cancellation);
            var concurrent = new List<JourneyResult>();
            var wall = Stopwatch.StartNew();
            await Parallel.ForEachAsync(concurrentVendors, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (vendor, token) =>
            {
                var result = await JourneyAsync(baseAddress, vendor, plan, pdf, services, staff, token);
                lock (concurrent)
                {
                    concurrent.Add(result);
                }
            });
            ReportJourneys($"{concurrency} concurrent", concurrency, concurrent, wall.Elapsed);
            var submissionOps = sequential.Concat(concurrent).Where(result => result.Error is null).Select(result => (double)result.StorageOps).DefaultIfEmpty(double.NaN).Average();
            Report.Line($"{"  storage operations",-Report.Width}{Report.N(submissionOps)} per whole submission (mean; every request of the journey, landing to receipt, summed from Server-Timing)");
            if (sequential.FirstOrDefault(result => result.Steps is { Count: > 0 }) is { Steps: { } steps })
            {
                Report.Line($"{"",-Report.Width}per request of one journey: " + string.Join("; ", steps.GroupBy(step => step.Request, StringComparer.Ordinal)
                    .Select(group => $"{group.Key} {(group.Min(step => step.Operations) == group.Max(step => step.Operations) ? $"{group.First().Operations}" : $"{group.Min(step => step.Operations)}–{group.Max(step => step.Operations)}")}" +
                                     (group.Count() > 1 ? $" (×{group.Count()})" : ""))));
            }
            if (sequential.Concat(concurrent).FirstOrDefault(result => result.Sealed is not null) is { Sealed: { } sealedSample })
            {
                Report.Line($"{"",-Report.Width}sealed payload: {sealedSample.Answers} answers, {sealedSample.Evidence} evidence files ({Report.MiB(sealedSample.EvidenceBytes)} MiB), receipt {Report.N(sealedSample.ReceiptBytes / 1024d)} KiB JSON");
            }

            Report.Line("");
            await PageBreakdown.PrintAsync(services, browsers[0], invited[0], sectionIds[0], clients + (2 * journeys) + 1, (2 * journeys) + 1, cancellation);
            Report.Line("");

            // 4. The survey page again, with a registry of realistic size: every vendor page lists the whole registry.
            if (registrySize > 0)
            {
                var seeding = Stopwatch.StartNew();
                var store = services.GetRequiredService<VendorStore>();
                await Parallel.ForEachAsync(Enumerable.Range(0, registrySize), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, token) =>
                    await store.AddAsync($"bench-{i:D6}", VendorSetup.BackgroundVendor(i), "benchmark", token));
                var seeded = seeding.Elapsed;
                var registryDuration = TimeSpan.FromSeconds(Math.Max(5, duration.TotalSeconds / 2));
                var withRegistry = await LoadRun.RunAsync(clientsWithVendors, (client, n, token) =>
                    client.Browser.GetStatusAsync(client.Vendor.Url($"/s/{sectionIds[(n + client.Index) % sectionIds.Count]}"), token), warmup, registryDuration);
                Report.Load($"survey page +{registrySize / 1000.0:0.#}k", withRegistry);
                var vendorsInRegistry = registrySize + clients + (2 * journeys) + 1;
                Report.Line($"{"",-Report.Width}registry of {Report.N(vendorsInRegistry)} vendors ({Report.N(registrySize)} added in {seeded.TotalSeconds:F1} s before this run)");
                await PageBreakdown.PrintProfileAsync(services, invited[0], vendorsInRegistry, cancellation);
                Report.Line("");
            }

            using var process = Process.GetCurrentProcess();
            Report.Line($"{"memory",-Report.Width}peak working set {Report.MiB(process.PeakWorkingSet64)} MiB, GC heap {Report.MiB(GC.GetGCMemoryInfo().HeapSizeBytes)} MiB at the end, " +
                        $"{Report.MiB(GC.GetTotalAllocatedBytes(precise: true) - allocatedAtStart)} MiB allocated during the scenarios, " +
                        $"GCs gen0/1/2 {GC.CollectionCount(0) - collectionsAtStart.Item1}/{GC.CollectionCount(1) - collectionsAtStart.Item2}/{GC.CollectionCount(2) - collectionsAtStart.Item3} " +
                        "(portal and simulated clients share this process; Azurite runs in its own)");
            Report.Line($"{"total",-Report.Width}{setup.Elapsed.TotalSeconds:F0} s, load average at the end {LoadAverage()}");
            Scorecard.Add(Area, "section page storage ops", pageOps, "ops", 2);
            Scorecard.Add(Area, "draft save storage ops", saveOps, "ops", 3);
            Scorecard.Add(Area, "autosave storage ops", autosaveOps, "ops");
            Scorecard.Add(Area, "section page ÷ raw-read wall", wallRatio, "×", 0.5, Goal.AtLeast);
            Scorecard.Add(Area, "section page throughput", surveyPage.Throughput, "req/s");
            Scorecard.Add(Area, "section page p95", surveyPage.Latencies.Percentile(0.95), "ms");
            Scorecard.Add(Area, "raw point reads (wall)", raw.Throughput, "reads/s");
            Scorecard.Add(Area, "storage ops per submission", submissionOps, "ops");
            var failed = surveyPage.Errors + draftSave.Errors + autosave.Errors + sequential.Concat(concurrent).Count(result => result.Error is not null || !result.Verified);
            return failed == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var browser in browsers)
            {
                browser.Dispose();
            }
        }
    }

    /// <summary>The 1-minute load average: these cores may be shared with other work, which the numbers would show.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static bool IsRelease =>
#if DEBUG
        false;
#else
        true;
#endif

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture) : fallback;
    }

    private static async Task<List<InvitedVendor>> InviteManyAsync(IServiceProvider services, int count, CancellationToken cancellationToken)
    {
        var vendors = new List<InvitedVendor>();
        for (var i = 0; i < count; i++)
        {
            vendors.Add(await VendorSetup.InviteAsync(services, cancellationToken));
        }

        return vendors;
    }

    private sealed record SealedSample(int Answers, int Evidence, long EvidenceBytes, int ReceiptBytes);

    private sealed record JourneyResult(double JourneyMs, IReadOnlyList<double> UploadMs, double SubmitMs, bool Verified, SealedSample? Sealed, string? Error, long StorageOps = 0, IReadOnlyList<(string Request, int Operations)>? Steps = null);

    /// <summary>Storage round trips and answers over a set of browsers, to tell a scenario's operations per request.</summary>
    private sealed record Tally(long Operations, long Responses)
    {
        public static Tally Of(IEnumerable<Browser> browsers) =>
            browsers.Aggregate(new Tally(0, 0), (sum, browser) => new Tally(sum.Operations + browser.StorageOperations, sum.Responses + browser.Responses));

        public double PerRequestSince(IEnumerable<Browser> browsers)
        {
            var now = Of(browsers);
            return (now.Operations - Operations) / (double)Math.Max(1, now.Responses - Responses);
        }
    }

    /// <summary>
    /// The wall the pages stand against and the page itself, measured in <see cref="WallSlices"/> alternating slices of
    /// the window (the first of each after the whole warm-up, the others after a short ramp): <paramref name="clients"/>
    /// clients reading one entity (about the size of an assignment row) with the plain Table SDK, closed loop, on the
    /// same Azurite; then <paramref name="page"/>'s slice; and so on. Each adds up to the whole window.
    /// </summary>
    private static async Task<(LoadResult Raw, LoadResult Page)> AgainstTheWallAsync(
        string connectionString, int clients, TimeSpan warmup, TimeSpan window, Func<TimeSpan, TimeSpan, Task<LoadResult>> page)
    {
        var table = new Azure.Data.Tables.TableClient(connectionString, "rawwall" + Guid.NewGuid().ToString("N")[..8]);
        await table.CreateIfNotExistsAsync();
        await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("wall", "one") { ["Data"] = new string('x', 1024) });
        try
        {
            var readers = Enumerable.Range(0, clients).ToList();
            var (raw, pages) = (new List<LoadResult>(), new List<LoadResult>());
            for (var slice = 0; slice < WallSlices; slice++)
            {
                raw.Add(await LoadRun.RunAsync(readers, async (_, _, token) =>
                {
                    var read = await table.GetEntityAsync<Azure.Data.Tables.TableEntity>("wall", "one", cancellationToken: token);
                    return read.Value.ContainsKey("Data") ? null : "the entity came back without its data";
                }, slice == 0 ? warmup : SliceRamp, window / WallSlices));
                pages.Add(await page(slice == 0 ? warmup : SliceRamp, window / WallSlices));
            }

            return (LoadResult.Combine(raw), LoadResult.Combine(pages));
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    /// <summary>One GET's storage round trips with their kinds, as the portal's Server-Timing header gives them.</summary>
    private static Task<string> ProbeAsync(Browser browser, string url, CancellationToken cancellationToken) =>
        browser.ServerTimingOfAsync(url, cancellationToken);

    /// <summary>One autosave's storage round trips with their kinds, as the portal's Server-Timing header gives them.</summary>
    private static async Task<string> ProbeSaveAsync(Browser browser, string url, string antiforgeryToken, IEnumerable<(string Name, string Value)> fields, CancellationToken cancellationToken)
    {
        using var response = await browser.PostFormAsync(url, antiforgeryToken, fields, cancellationToken, autosave: true);
        return Browser.ServerTiming(response);
    }

    /// <summary>
    /// One vendor from the link to the receipt, as a browser without JavaScript does it: landing page, each section
    /// (its documents one POST each, then the answers with "next", following every redirect), the review page, the
    /// attested submission and the receipt it redirects to. Then, outside the timing, the receipt is verified.
    /// </summary>
    private static async Task<JourneyResult> JourneyAsync(
        Uri baseAddress, InvitedVendor vendor, AnswerPlan plan, byte[] pdf, IServiceProvider services, Browser staff, CancellationToken cancellationToken)
    {
        using var browser = new Browser(baseAddress);
        var uploads = new List<double>();
        var submitMs = double.NaN;
        var journey = Stopwatch.StartNew();
        try
        {
            await browser.PageAsync(vendor.Url(), cancellationToken);
            var html = await browser.PageAsync(vendor.Url($"/s/{plan.Sections[0].Id}"), cancellationToken);
            for (var s = 0; s < plan.Sections.Count; s++)
            {
                var section = plan.Sections[s];
                var url = vendor.Url($"/s/{section.Id}");
                foreach (var itemId in section.EvidenceItems)
                {
                    var began = Stopwatch.GetTimestamp();
                    var back = await browser.PostRedirectAsync(url, Browser.AntiforgeryToken(html), [("items", itemId), .. plan.FieldsFor(itemId), ("action", "save")], cancellationToken,
                        [($"f.{itemId}", $"{itemId}-evidence.pdf", pdf)]);
                    uploads.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                    html = await browser.PageAsync(back, cancellationToken);
                    if (Browser.ErrorSummary(html) is { Length: > 0 } refused)
                    {
                        throw new InvalidOperationException($"upload to {itemId} refused: {refused}");
                    }
                }

                var last = s == plan.Sections.Count - 1;
                var expected = last ? vendor.Url("/review") : vendor.Url($"/s/{plan.Sections[s + 1].Id}");
                var next = await browser.PostRedirectAsync(url, Browser.AntiforgeryToken(html), [("items", Browser.ItemsField(html)), .. section.Fields, ("action", last ? "review" : "next")], cancellationToken);
                if (next != expected)
                {
                    throw new InvalidOperationException($"section {section.Id} was not accepted (back to {Browser.Shorten(next)}): {Browser.ErrorSummary(await browser.PageAsync(next, cancellationToken))}");
                }

                html = await browser.PageAsync(next, cancellationToken);
            }

            if (Browser.ErrorSummary(html) is { Length: > 0 } || Browser.Revision(html) is not { } revision)
            {
                throw new InvalidOperationException($"the review page does not offer submission: {Browser.ErrorSummary(html)}");
            }

            var submitted = Stopwatch.GetTimestamp();
            var receiptUrl = await browser.PostRedirectAsync(vendor.Url("/submit"), Browser.AntiforgeryToken(html),
                [("revision", revision), ("officerName", "受任 太郎"), ("officerTitle", "取締役"), ("officerEmail", "officer@vendor.example.jp"), ("attest", "1")], cancellationToken);
            submitMs = Stopwatch.GetElapsedTime(submitted).TotalMilliseconds;
            if (receiptUrl != vendor.Url("/receipts/1"))
            {
                throw new InvalidOperationException($"the submission went to {Browser.Shorten(receiptUrl)}, not to receipt 1");
            }

            await browser.PageAsync(receiptUrl, cancellationToken);
            journey.Stop();
            var storageOps = browser.StorageOperations;
            var steps = browser.Requests.ToList();

            using var report = JsonDocument.Parse(await staff.GetStringAsync($"/api/assignments/{vendor.Assignment.Key}/submissions/1/verify", cancellationToken));
            var verified = report.RootElement.GetProperty("valid").GetBoolean();
            var envelope = await services.GetRequiredService<SubmissionSealer>().ReadAsync(vendor.Assignment.Key, 1, cancellationToken);
            var receiptBytes = (await services.GetRequiredService<SubmissionStore>().ReadSealedAsync(vendor.Assignment.Key, 1, cancellationToken))?.Length ?? 0;
            var sample = new SealedSample(envelope.Payload.Answers.Count, envelope.Payload.Evidence.Count, envelope.Payload.Evidence.Sum(file => file.Size), receiptBytes);
            return new JourneyResult(journey.Elapsed.TotalMilliseconds, uploads, submitMs, verified, sample, null, storageOps, steps);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or TaskCanceledException or IOException or JsonException or KeyNotFoundException)
        {
            return new JourneyResult(journey.Elapsed.TotalMilliseconds, uploads, submitMs, false, null, exception.Message);
        }
    }

    private static void ReportJourneys(string mode, int concurrency, List<JourneyResult> results, TimeSpan wall)
    {
        var ok = results.Where(result => result.Error is null).ToList();
        var journeys = new Samples();
        journeys.AddRange(ok.Select(result => result.JourneyMs));
        var submits = new Samples();
        submits.AddRange(ok.Select(result => result.SubmitMs));
        var uploads = new Samples();
        uploads.AddRange(ok.SelectMany(result => result.UploadMs));
        Report.Line($"{"submission " + mode,-Report.Width}{results.Count} journeys  {concurrency} at a time  journey {journeys.Describe(0.50, 0.95)}  " +
                    $"{results.Count / wall.TotalMinutes:0} journeys/min  {results.Count - ok.Count} errors");
        Report.Line($"{"  upload 1 MiB PDF",-Report.Width}{Report.N(uploads.Count)} uploads  {uploads.Describe(0.50, 0.95)}  (one POST with the file, to the 302)");
        Report.Line($"{"  submit (seal)",-Report.Width}{Report.N(submits.Count)} submits  {submits.Describe(0.50, 0.95)}  (POST /submit to the 302: readiness, canonical JSON, SHA-256, HMAC, write-once blob, score, index, status)");
        Report.Line($"{"  verified",-Report.Width}{results.Count(result => result.Verified)}/{results.Count} receipts valid (GET /api/assignments/{{key}}/submissions/1/verify as Portal.Admin)");
        foreach (var error in results.Select(result => result.Error).OfType<string>().Distinct(StringComparer.Ordinal).Take(3))
        {
            Report.Line($"{"",-Report.Width}error: {error}");
        }
    }
}
