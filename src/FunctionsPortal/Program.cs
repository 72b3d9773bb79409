using FunctionsPortal.Audit;
using FunctionsPortal.Auth;
using FunctionsPortal.Certificates;
using FunctionsPortal.Checklists;
using FunctionsPortal.Contracts;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Dashboards;
using FunctionsPortal.DemoData;
using FunctionsPortal.Evidence;
using FunctionsPortal.Exports;
using FunctionsPortal.Graph;
using FunctionsPortal.Hosting;
using FunctionsPortal.Incidents;
using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.ManagementLevels;
using FunctionsPortal.Operations;
using FunctionsPortal.RegistryProposals;
using FunctionsPortal.Responses;
using FunctionsPortal.Reviews;
using FunctionsPortal.Secrets;
using FunctionsPortal.Spreadsheets;
using FunctionsPortal.StaffPages;
using FunctionsPortal.Storage;
using FunctionsPortal.Subcontractors;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.VendorPages;
using FunctionsPortal.Vendors;

var builder = WebApplication.CreateBuilder(args);

// Process: where we listen (Functions host or standalone), logs, traces, metrics, errors; who staff are.
builder.AddPortalHosting();
builder.AddStaffAuth();

// Platform: one storage account, Key Vault, Microsoft Graph; timer and queue functions (driven by the host, or in-process when standalone); spreadsheet imports within caps.
builder.AddStorage();
builder.AddSecrets();
builder.AddGraph();
builder.AddMail();
builder.AddJobs();
builder.AddSpreadsheets();

// Trail: every staff change and vendor submission, hash-chained per vendor (the capabilities below append to it).
builder.AddAudit();

// Capabilities.
builder.AddOperations();
builder.AddVendors();
builder.AddContracts();
builder.AddCertificates();
builder.AddChecklists();
builder.AddEvidence();
builder.AddSurveys();
builder.AddSubcontractors();
builder.AddResponses();
builder.AddSubmissions();
builder.AddRegistryProposals();
builder.AddReviews();
builder.AddCorrectiveActions();
builder.AddManagementLevels();
builder.AddIncidents();
builder.AddExports();
builder.AddDashboards();
builder.AddVendorPages();
builder.AddStaffPages();
builder.AddDemoData();

var app = builder.Build();

app.UsePortalHosting();
app.UseAntiforgery();
app.UseVendorPages();
// Last before the endpoint: the body checks the generated request delegates leave out (antiforgery verdict, body, content type).
app.UseBodyReadingChecks();

app.MapPortalHosting();
app.MapJobs();
app.MapAudit();
app.MapOperations();
app.MapVendors();
app.MapContracts();
app.MapRegistryProposals();
app.MapSubcontractors();
app.MapChecklists();
app.MapSurveys();
app.MapVendorPages();
app.MapStaffPages();
app.MapSubmissions();
app.MapReviews();
app.MapCorrectiveActions();
app.MapManagementLevels();
app.MapIncidents();
app.MapExports();
app.MapDashboards();
app.MapMail();

app.Run();
