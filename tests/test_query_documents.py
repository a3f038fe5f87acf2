"""Each query document in graphql/queries/ run against the demo content, as the frontends use them."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_of_each_city_shows_only_that_city(gql, demo_content):
    kassel = gql.document("municipality_home.graphql", host="kassel.localhost")["municipality"]
    kiel = gql.document("municipality_home.graphql", host="kielregion.localhost")["municipality"]
    assert kassel["regionalKey"] == "066110000000"
    assert kassel["federalStateName"] == "Hessen"
    assert kiel["regionalKey"] == "010020000000"
    assert kiel["federalStateName"] == "Schleswig-Holstein"
    assert kassel["cohortYear"] == kiel["cohortYear"] == 2020
    assert {child["urlPath"] for child in kassel["children"]} >= {"/handlungsfelder/", "/projekte/", "/team/"}
    assert kassel["siteSettings"]["imprint"]["urlPath"].startswith("/")
    assert kassel["id"] != kiel["id"]


def test_site_argument_overrides_the_request_host(gql, demo_content):
    data = gql.document("municipality_home.graphql", {"site": "kielregion.localhost"}, host="kassel.localhost")
    assert data["municipality"]["regionalKey"] == "010020000000"


def test_page_by_path_returns_the_programme_with_its_blocks(gql, demo_content):
    page = gql.document("page_by_path.graphql", {"path": "/foerderprogramm/"}, host="kassel.localhost")["page"]
    assert page["pageType"] == "ProgrammePage"
    assert page["urlPath"] == "/foerderprogramm/"
    assert page["url"] == "http://kassel.localhost:3000/foerderprogramm/"
    key_figures = [block for block in page["body"] if block["blockType"] == "KeyFigureBlock"]
    assert key_figures == [
        {
            "id": key_figures[0]["id"],
            "blockType": "KeyFigureBlock",
            "field": "key_figure",
            "figure": 11.0,
            "unit": "Mio. €",
            "figureCaption": "Fördermittel des Bundes",
        }
    ]
    assert [ancestor["urlPath"] for ancestor in page["ancestors"]] == ["/"]


def test_the_same_path_in_the_other_city_is_the_other_citys_page(gql, demo_content):
    kassel = gql.document("page_by_path.graphql", {"path": "/foerderprogramm/"}, host="kassel.localhost")["page"]
    kiel = gql.document("page_by_path.graphql", {"path": "/foerderprogramm/"}, host="kielregion.localhost")["page"]
    assert kassel["id"] != kiel["id"]
    assert kiel["url"].startswith("http://kielregion.localhost:3000/")


def test_projects_of_a_field_of_action(gql, demo_content):
    field = gql.data('{ page(urlPath: "/handlungsfelder/smart-welcome-city/") { id title } }')["page"]
    projects = gql.document("projects_of_field_of_action.graphql", {"fieldOfAction": field["id"]})["projects"]
    assert projects, "the demo links each Kassel project to its field of action"
    for project in projects:
        assert field["id"] in [linked["id"] for linked in project["fieldsOfAction"]]
        assert project["status"] in {"PLANNED", "RUNNING", "COMPLETED"}


def test_open_calls_across_all_municipalities(gql, demo_content):
    calls = gql.document("open_calls.graphql")["callsForIdeas"]
    assert calls, "the demo has an open call in KielRegion"
    assert {call["status"] for call in calls} == {"OPEN"}
    assert {call["municipality"]["regionalKey"] for call in calls} == {"010020000000"}
    closed = gql.document("open_calls.graphql", {"status": "CLOSED"})["callsForIdeas"]
    assert {call["municipality"]["regionalKey"] for call in closed} == {"066110000000"}
    assert closed[0]["opensAt"] == "2021-04-01T00:00:00+02:00"


def test_aggregator_query_returns_both_municipalities_with_programme_facts(gql, demo_content):
    municipalities = gql.document("municipalities.graphql", host="localhost")["municipalities"]
    by_key = {item["regionalKey"]: item for item in municipalities}
    assert set(by_key) == {"010020000000", "066110000000"}
    kassel = by_key["066110000000"]["programme"]
    assert kassel["federalFundingEur"] == 11_000_000
    assert kassel["municipalShareEur"] == 6_000_000
    assert kassel["startDate"] == "2021-04-01"
    assert kassel["councilDecisionDate"] == "2020-05-11"
    assert kassel["durationMonths"] == 84
    assert [phase["kind"] for phase in kassel["phases"]] == ["STRATEGY", "IMPLEMENTATION"]
    kiel = by_key["010020000000"]
    assert kiel["programme"]["fundingMinistry"] == "Bundesministerium für Wohnen, Stadtentwicklung und Bauwesen"
    assert len(kiel["fieldsOfAction"]) == 3
    assert len(by_key["066110000000"]["fieldsOfAction"]) == 5


def test_aggregator_filters_municipalities_by_call_status(gql, demo_content):
    query = "query ($s: CallStatus) { municipalities(callStatus: $s) { regionalKey } }"
    open_ = gql.data(query, {"s": "OPEN"}, host="localhost")["municipalities"]
    assert [item["regionalKey"] for item in open_] == ["010020000000"]


def test_search_stays_within_the_site(gql, demo_content):
    kassel_hits = gql.document("search.graphql", {"query": "Smart"}, host="kassel.localhost")["search"]
    assert kassel_hits
    kiel_titles = {
        hit["title"]
        for hit in gql.document("search.graphql", {"query": "Smart"}, host="kielregion.localhost")["search"]
    }
    assert not kiel_titles & {"Smart Welcome City", "Smart H2Quarters"}


def test_team_names_roles_not_people(gql, demo_content):
    members = gql.document("team.graphql", host="kassel.localhost")["municipality"]["team"]["members"]
    assert {member["role"] for member in members} >= {"Projektbüro „Smart City“"}
    assert all(member["name"] in ("", None) for member in members)


def test_the_admin_hostname_serves_no_municipality(gql, demo_content):
    # Wagtail's placeholder site on localhost is removed by the demo loader, so nothing answers there by default.
    _status, messages = gql.errors("{ municipality { title } }", host="localhost")
    assert messages[0].startswith('No municipality is served at request host "localhost".')
