package io.pinpipeline.toolkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The JDBC source's pieces that need no database; {@link JdbcPostSourceIT} reads a real one. */
class JdbcPostSourceTest {

    @Test
    void aFloatIsWrittenAsTheShortestDecimalThatReadsBackAsIt() {
        assertThat(JdbcPostSource.shortest(-89.9787f, true).toPlainString()).isEqualTo("-89.9787");
        assertThat(JdbcPostSource.shortest(-0.375174f, true).toPlainString()).isEqualTo("-0.375174");
        assertThat(JdbcPostSource.shortest(-173.293f, true).toPlainString()).isEqualTo("-173.293");
        assertThat(JdbcPostSource.shortest(12f, true).toPlainString()).isEqualTo("12.0");
        assertThat(JdbcPostSource.shortest(0f, true).toPlainString()).isEqualTo("0.0");
        assertThat(JdbcPostSource.shortest(0.0001234f, true).toPlainString()).isEqualTo("0.0001234");
        assertThat(JdbcPostSource.shortest(1.5e9f, true).toPlainString()).isEqualTo("1500000000.0");
    }

    @Test
    void aDoubleIsWrittenAsTheShortestDecimalThatReadsBackAsIt() {
        assertThat(JdbcPostSource.shortest(0.1, false).toPlainString()).isEqualTo("0.1");
        assertThat(JdbcPostSource.shortest(-89.97869873046875, false).toPlainString()).isEqualTo("-89.97869873046875");
        assertThat(JdbcPostSource.shortest(1.0 / 3, false).toPlainString()).isEqualTo("0.3333333333333333");
        assertThat(JdbcPostSource.shortest(1e20, false).toPlainString()).isEqualTo("100000000000000000000.0");
    }

    @Test
    void credentialsComeFromTheTwoEnvironmentVariablesThatAreSet() {
        Properties both = JdbcPostSource.credentialsFrom(Map.of(JdbcPostSource.USER_VARIABLE, "reader",
                JdbcPostSource.PASSWORD_VARIABLE, "s3cret", "OTHER", "x"));
        assertThat(both).containsOnly(Map.entry("user", "reader"), Map.entry("password", "s3cret"));
        assertThat(JdbcPostSource.credentialsFrom(Map.of(JdbcPostSource.USER_VARIABLE, "reader")))
                .containsOnly(Map.entry("user", "reader"));
        assertThat(JdbcPostSource.credentialsFrom(Map.of())).isEmpty();
    }

    @Test
    void theUrlShowsNoPassword() {
        Properties credentials = new Properties();
        credentials.setProperty("password", "given");
        assertThat(new JdbcPostSource("jdbc:mariadb://db:3306/pins?user=u&password=s3cret&connectTimeout=5", credentials, 1))
                .hasToString("jdbc:mariadb://db:3306/pins?user=u&password=***&connectTimeout=5");
    }

    @Test
    void aMysqlUrlGetsTheMariaDbDriversPermitOnce() {
        assertThat(new JdbcPostSource("jdbc:mysql://db:3306/pins", new Properties(), 1))
                .hasToString("jdbc:mysql://db:3306/pins?permitMysqlScheme");
        assertThat(new JdbcPostSource("jdbc:mysql://db:3306/pins?useSsl=true", new Properties(), 1))
                .hasToString("jdbc:mysql://db:3306/pins?useSsl=true&permitMysqlScheme");
        assertThat(new JdbcPostSource("jdbc:mysql://db/pins?permitMysqlScheme", new Properties(), 1))
                .hasToString("jdbc:mysql://db/pins?permitMysqlScheme");
        assertThat(new JdbcPostSource("jdbc:mariadb://db/pins", new Properties(), 1))
                .hasToString("jdbc:mariadb://db/pins");
    }

    @Test
    void onlyMariaDbAndMysqlUrlsAreTaken() {
        assertThatThrownBy(() -> new JdbcPostSource("postgresql://db/pins", new Properties(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the JDBC source needs a jdbc:mariadb://host:port/database or jdbc:mysql://host:port/database"
                        + " URL, not postgresql://db/pins");
    }

    @Test
    void aNegativeCountIsRefusedBeforeConnecting() {
        assertThatThrownBy(() -> new JdbcPostSource("jdbc:mariadb://nowhere.invalid/pins", new Properties(), 1).posts(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("posts: -1 is negative");
    }
}
