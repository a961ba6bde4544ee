def test_headteacher_sees_dashboard(client_for, headteacher):
    response = client_for(headteacher).get("/")
    assert response.status_code == 200
    assert b"Needs your attention" in response.content
